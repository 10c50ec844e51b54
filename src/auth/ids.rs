//! Identifier formats, checked before any AWS call so a typo gets a precise message.

use std::fmt;

use super::error::AuthError;
use super::model::{AuthSelections, ImportedEnvParams};

macro_rules! id_type {
    ($name:ident, $what:literal, $example:literal, $check:expr) => {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, String> {
                let check: fn(&str) -> bool = $check;
                if check(s) {
                    Ok($name(s.to_string()))
                } else {
                    Err(format!(
                        "'{}' is not a valid {} (expected something like {})",
                        s, $what, $example
                    ))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

id_type!(UserPoolId, "user pool id", "us-east-1_AbCdEf123", |s| {
    match s.split_once('_') {
        Some((region, rest)) => {
            !region.is_empty()
                && region.chars().all(word)
                && !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_alphanumeric())
                && s.len() <= 55 + 20
        }
        None => false,
    }
});

id_type!(
    ClientId,
    "app client id",
    "1example23456789abcdefghij",
    |s| {
        (1..=128).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
    }
);

id_type!(
    IdentityPoolId,
    "identity pool id",
    "us-east-1:11111111-2222-3333-4444-555555555555",
    |s| {
        match s.split_once(':') {
            Some((region, rest)) => {
                !region.is_empty()
                    && region.chars().all(word)
                    && !rest.is_empty()
                    && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
                    && s.len() <= 55
            }
            None => false,
        }
    }
);

impl UserPoolId {
    /// The region part of the id (`us-east-1` of `us-east-1_AbC`).
    pub fn region(&self) -> &str {
        self.0.split_once('_').map(|(r, _)| r).unwrap_or_default()
    }
}

impl IdentityPoolId {
    pub fn region(&self) -> &str {
        self.0.split_once(':').map(|(r, _)| r).unwrap_or_default()
    }
}

/// Parses an id given by flag or JSON, naming where it came from on failure.
pub fn given<T>(
    parse: fn(&str) -> Result<T, String>,
    value: &str,
    source: &str,
) -> Result<T, AuthError> {
    parse(value).map_err(|reason| AuthError::bad_id(reason, source))
}

/// Ids given up front (flags, headless JSON, `--categories`, `AMPLIFY_*`
/// variables, or an env's records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GivenIds {
    pub user_pool: Option<UserPoolId>,
    pub web_client: Option<ClientId>,
    pub native_client: Option<ClientId>,
    pub identity_pool: Option<IdentityPoolId>,
}

impl GivenIds {
    /// The ids an env records; ids of the wrong format count as absent.
    pub fn from_env(params: &ImportedEnvParams) -> GivenIds {
        GivenIds {
            user_pool: params.user_pool().and_then(|s| UserPoolId::parse(s).ok()),
            web_client: params.web_client().and_then(|s| ClientId::parse(s).ok()),
            native_client: params.native_client().and_then(|s| ClientId::parse(s).ok()),
            identity_pool: params
                .identity_pool()
                .and_then(|s| IdentityPoolId::parse(s).ok()),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == GivenIds::default()
    }

    /// Every id for a resource of this type is there.
    pub fn complete(&self, selections: AuthSelections) -> bool {
        self.user_pool.is_some()
            && self.web_client.is_some()
            && self.native_client.is_some()
            && (selections == AuthSelections::UserPoolOnly || self.identity_pool.is_some())
    }

    /// The ids as answers to the import walkthrough's questions.
    pub fn answers(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(id) = &self.user_pool {
            out.push((USER_POOL_Q, id.to_string()));
        }
        if let Some(id) = &self.web_client {
            out.push((WEB_CLIENT_Q, id.to_string()));
        }
        if let Some(id) = &self.native_client {
            out.push((NATIVE_CLIENT_Q, id.to_string()));
        }
        if let Some(id) = &self.identity_pool {
            out.push((IDENTITY_POOL_Q, id.to_string()));
        }
        out
    }
}

/// Question ids of the import walkthrough (the keys of pre-given answers).
pub const AUTH_TYPE_Q: &str = "auth-type";
pub const USER_POOL_Q: &str = "user-pool-id";
pub const WEB_CLIENT_Q: &str = "web-client-id";
pub const NATIVE_CLIENT_Q: &str = "native-client-id";
pub const IDENTITY_POOL_Q: &str = "identity-pool-id";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(UserPoolId::parse("us-east-1_AbC123").is_ok());
        assert!(
            UserPoolId::parse("us-east-1_32082fdab595e071697a5d414cd990a2c5514211fa3e9").is_ok()
        );
        assert_eq!(
            UserPoolId::parse("us-east-1_AbC123").unwrap().region(),
            "us-east-1"
        );
        for bad in [
            "",
            "us-east-1",
            "us-east-1_",
            "_abc",
            "us-east-1_ab-c",
            "us east_1",
        ] {
            assert!(UserPoolId::parse(bad).is_err(), "{bad}");
        }
        assert!(ClientId::parse("4c27ad13f078b7ad5e2bb8d9e9").is_ok());
        assert!(ClientId::parse("has space").is_err());
        assert!(ClientId::parse("").is_err());
        assert!(IdentityPoolId::parse("us-east-1:fc09d42c-9bdf-4f0b-ae1a-6deec2ee34d4").is_ok());
        assert!(IdentityPoolId::parse("us-east-1_fc09d42c").is_err());
        assert!(IdentityPoolId::parse("us-east-1:xyz").is_err());
        assert_eq!(
            UserPoolId::parse("nope").unwrap_err(),
            "'nope' is not a valid user pool id (expected something like us-east-1_AbCdEf123)"
        );
    }
}
