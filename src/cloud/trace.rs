//! Every AWS call of a command passes through one SDK interceptor: it stops a
//! command that has waited too long for AWS in total, remembers where each
//! operation went (for error messages), and with `-v` prints each attempt
//! (service, operation, resource id, status, time). It never prints a request
//! body or a header, so no secret reaches the output.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_iam::config::interceptors::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_iam::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::{Storable, StoreReplace};

/// Where a line of `-v` output goes (the console, through the caller's Ui).
pub type Log = Arc<dyn Fn(String) + Send + Sync>;

thread_local! {
    /// Operation name → the endpoint its last attempt went to. Calls run on the
    /// thread that blocks on them (a current-thread runtime), so the error built
    /// right after a failed call reads its own endpoint here.
    static ENDPOINTS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The endpoint (`scheme://host:port`) the last attempt of `action`'s operation went to.
pub fn endpoint_of(action: &str) -> Option<String> {
    let op = action.rsplit(':').next()?;
    ENDPOINTS.with(|m| m.borrow().get(op).cloned())
}

/// The refusal to start a call once the command's time for AWS is used up.
#[derive(Debug, thiserror::Error)]
#[error("this command has used its {} s for AWS calls", budget.as_secs_f64())]
pub struct OutOfTime {
    pub budget: Duration,
}

/// Time spent waiting for AWS in this command (time at prompts does not count).
#[derive(Debug, Default)]
struct Clock {
    spent: Duration,
    since: Option<Instant>,
}

#[derive(Clone)]
pub struct Trace {
    budget: Duration,
    clock: Arc<Mutex<Clock>>,
    log: Option<Log>,
}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trace")
            .field("budget", &self.budget)
            .field("verbose", &self.log.is_some())
            .finish()
    }
}

impl Trace {
    pub fn new(budget: Duration, log: Option<Log>) -> Self {
        Trace {
            budget,
            clock: Arc::default(),
            log,
        }
    }

    /// Runs `f`, counting the time against the command's budget.
    pub fn waiting<T>(&self, f: impl FnOnce() -> T) -> T {
        self.lock().since = Some(Instant::now());
        let out = f();
        let mut clock = self.lock();
        if let Some(start) = clock.since.take() {
            clock.spent += start.elapsed();
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Clock> {
        // A poisoned clock only means a panic elsewhere; the numbers are still fine.
        self.clock.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn used(&self) -> Duration {
        let clock = self.lock();
        clock.spent + clock.since.map(|s| s.elapsed()).unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
struct AttemptStart(Instant);

impl Storable for AttemptStart {
    type Storer = StoreReplace<Self>;
}

#[derive(Debug, Clone)]
struct ResourceId(String);

impl Storable for ResourceId {
    type Storer = StoreReplace<Self>;
}

impl Intercept for Trace {
    fn name(&self) -> &'static str {
        "authwiz-trace"
    }

    fn read_before_attempt(
        &self,
        _ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if self.used() >= self.budget {
            return Err(Box::new(OutOfTime {
                budget: self.budget,
            }));
        }
        cfg.interceptor_state()
            .store_put(AttemptStart(Instant::now()));
        Ok(())
    }

    fn read_before_transmit(
        &self,
        ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = ctx.request();
        let uri = request.uri();
        if let Some(op) = cfg.load::<Metadata>().map(|m| m.name().to_string()) {
            ENDPOINTS.with(|m| m.borrow_mut().insert(op, endpoint(uri)));
        }
        if self.log.is_some() {
            let body = request.body().bytes().unwrap_or_default();
            if let Some(id) = resource_id(uri, body) {
                cfg.interceptor_state().store_put(ResourceId(id));
            }
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        ctx: &FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(log) = &self.log else {
            return Ok(());
        };
        let (service, op) = cfg
            .load::<Metadata>()
            .map(|m| (short_service(m.service()), m.name().to_string()))
            .unwrap_or_default();
        let ms = cfg
            .load::<AttemptStart>()
            .map(|s| s.0.elapsed().as_millis())
            .unwrap_or_default();
        let id = cfg
            .load::<ResourceId>()
            .map(|r| format!(" {}", r.0))
            .unwrap_or_default();
        let status = match (ctx.response(), ctx.output_or_error()) {
            (Some(r), _) => r.status().as_u16().to_string(),
            (None, Some(Err(e))) if e.is_timeout_error() => "timed out".into(),
            (None, Some(Err(e))) => match e.as_connector_error() {
                Some(c) if c.is_timeout() => "timed out".into(),
                Some(c) if c.is_io() => "connection failed".into(),
                _ => "not sent".into(),
            },
            (None, _) => "no response".into(),
        };
        log(format!("AWS {service}:{op}{id} → {status} ({ms} ms)"));
        Ok(())
    }
}

/// `scheme://authority` of a request URI.
fn endpoint(uri: &str) -> String {
    match uri.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?']).next().unwrap_or(rest);
            format!("{scheme}://{authority}")
        }
        None => uri.to_string(),
    }
}

/// The id a call is about, when the request names it plainly: a Cognito pool or
/// client id (JSON body), an IAM role (form body), or an S3 bucket (path style).
/// Only these keys are ever read from a body.
fn resource_id(uri: &str, body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).unwrap_or_default();
    if text.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        return ["UserPoolId", "IdentityPoolId", "ClientId"]
            .iter()
            .filter_map(|k| v.get(k).and_then(|x| x.as_str()))
            .map(str::to_string)
            .reduce(|a, b| format!("{a} {b}"));
    }
    if text.contains("Action=") {
        return text
            .split('&')
            .find_map(|p| p.strip_prefix("RoleName="))
            .map(|r| {
                percent_encoding::percent_decode_str(r)
                    .decode_utf8_lossy()
                    .into()
            });
    }
    let path = uri.split_once("://")?.1.split_once('/')?.1;
    let bucket = path.split(['/', '?']).next()?;
    (!bucket.is_empty()).then(|| bucket.to_string())
}

/// The IAM-style prefix of a service (as in `cognito-idp:DescribeUserPool`).
fn short_service(name: &str) -> String {
    match name {
        "Cognito Identity Provider" => "cognito-idp".into(),
        "Cognito Identity" => "cognito-identity".into(),
        other => other.to_lowercase().replace(' ', "-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_only_from_known_keys() {
        assert_eq!(
            resource_id(
                "https://cognito-idp.us-east-1.amazonaws.com/",
                br#"{"UserPoolId":"us-east-1_abc","ClientId":"c1","ClientSecret":"s"}"#
            )
            .as_deref(),
            Some("us-east-1_abc c1")
        );
        assert_eq!(
            resource_id(
                "https://iam.amazonaws.com/",
                b"Action=GetRolePolicy&RoleName=corp%2Dauth&PolicyName=p&Version=2010-05-08"
            )
            .as_deref(),
            Some("corp-auth")
        );
        assert_eq!(
            resource_id("http://127.0.0.1:5000/corpfiles-dev", b"").as_deref(),
            Some("corpfiles-dev")
        );
        assert_eq!(resource_id("https://s3.amazonaws.com/", b""), None);
        assert_eq!(
            endpoint("http://127.0.0.1:5000/corpfiles-dev?x=1"),
            "http://127.0.0.1:5000"
        );
    }
}
