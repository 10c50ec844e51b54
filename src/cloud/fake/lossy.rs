//! "Applied, then the reply was lost": the fake cloud behind a connection that
//! drops the answer to chosen calls after the cloud has carried them out, as a
//! timeout does on AWS. What a client must do then is find out what happened
//! (look the resource up) before it tries again.

use super::FakeCloud;
use crate::cloud::CloudError;
use crate::cloud::deploy::{
    ClientApi, ClientSpec, DomainApi, GroupApi, GroupSpec, IdentityPoolApi, IdentityPoolSpec,
    LiveClient, LivePool, PoolRoles, PoolSpec, ProviderSpec, RoleApi, RoleSpec, SocialApi,
    UserPoolApi,
};
use crate::cloud::error::Unreachable;
use crate::cloud::lambda::{FunctionApi, FunctionSpec, LiveFunction};

/// The fake cloud, with the replies [`FakeCloud::lose_reply`] names dropped.
pub struct LostReplies<'a>(pub &'a FakeCloud);

impl FakeCloud {
    /// The `n`-th call (1-based, counted from now) of the trait method `call`
    /// (`create_user_pool`, ...) is carried out but its reply is lost.
    pub fn lose_reply(&self, call: &str, n: usize) {
        self.with(|s| s.lost.push((call.to_string(), n)))
    }

    fn reply<T>(&self, call: &'static str, r: Result<T, CloudError>) -> Result<T, CloudError> {
        let lost = self.with(|s| {
            let n = s.lost_seen.entry(call.to_string()).or_default();
            *n += 1;
            let n = *n;
            s.lost.iter().any(|(c, k)| c == call && *k == n)
        });
        match r {
            Ok(_) if lost => Err(CloudError::Unreachable {
                action: call,
                endpoint: None,
                problem: Unreachable::TimedOut("the reply was lost (the fake)".into()),
                detail: "the call was carried out; its reply never came".into(),
            }),
            r => r,
        }
    }
}

/// Each method of a trait, passed through and its reply perhaps lost.
macro_rules! lossy {
    ($trait:ident { $(fn $m:ident($($a:ident: $t:ty),*) -> $r:ty;)* }) => {
        impl $trait for LostReplies<'_> {
            $(async fn $m(&self, $($a: $t),*) -> Result<$r, CloudError> {
                let r = self.0.$m($($a),*).await;
                self.0.reply(stringify!($m), r)
            })*
        }
    };
}

lossy!(UserPoolApi {
    fn find_user_pool(name: &str) -> Option<String>;
    fn read_user_pool(id: &str) -> Option<LivePool>;
    fn create_user_pool(spec: &PoolSpec) -> (String, String);
    fn update_user_pool(id: &str, spec: &PoolSpec) -> ();
    fn set_mfa(id: &str, spec: &PoolSpec) -> ();
    fn delete_user_pool(id: &str) -> ();
});

lossy!(ClientApi {
    fn find_client(pool: &str, name: &str) -> Option<String>;
    fn read_client(pool: &str, id: &str) -> Option<LiveClient>;
    fn create_client(pool: &str, spec: &ClientSpec) -> LiveClient;
    fn update_client(pool: &str, id: &str, spec: &ClientSpec) -> ();
    fn delete_client(pool: &str, id: &str) -> ();
});

lossy!(DomainApi {
    fn read_domain(domain: &str) -> Option<String>;
    fn create_domain(pool: &str, domain: &str) -> ();
    fn delete_domain(pool: &str, domain: &str) -> ();
});

lossy!(SocialApi {
    fn read_provider(pool: &str, name: &str) -> Option<ProviderSpec>;
    fn create_provider(pool: &str, spec: &ProviderSpec) -> ();
    fn update_provider(pool: &str, spec: &ProviderSpec) -> ();
    fn delete_provider(pool: &str, name: &str) -> ();
});

lossy!(GroupApi {
    fn read_group(pool: &str, name: &str) -> Option<GroupSpec>;
    fn create_group(pool: &str, spec: &GroupSpec) -> ();
    fn update_group(pool: &str, spec: &GroupSpec) -> ();
    fn delete_group(pool: &str, name: &str) -> ();
});

lossy!(IdentityPoolApi {
    fn find_identity_pool(name: &str) -> Option<String>;
    fn read_identity_pool(id: &str) -> Option<IdentityPoolSpec>;
    fn create_identity_pool(spec: &IdentityPoolSpec) -> String;
    fn update_identity_pool(id: &str, spec: &IdentityPoolSpec) -> ();
    fn delete_identity_pool(id: &str) -> ();
    fn read_pool_roles(id: &str) -> Option<PoolRoles>;
    fn set_pool_roles(id: &str, roles: &PoolRoles) -> ();
});

lossy!(FunctionApi {
    fn read_function(name: &str) -> Option<LiveFunction>;
    fn create_function(spec: &FunctionSpec, zip: &[u8]) -> String;
    fn update_function_code(name: &str, zip: &[u8]) -> ();
    fn update_function_configuration(spec: &FunctionSpec) -> ();
    fn delete_function(name: &str) -> ();
    fn read_invoke_permission(function: &str, sid: &str) -> Option<String>;
    fn add_invoke_permission(function: &str, sid: &str, source: &str) -> ();
    fn remove_invoke_permission(function: &str, sid: &str) -> ();
});

lossy!(RoleApi {
    fn read_role(name: &str) -> Option<(String, RoleSpec)>;
    fn create_role(spec: &RoleSpec) -> String;
    fn update_trust(spec: &RoleSpec) -> ();
    fn delete_role(name: &str) -> ();
});
