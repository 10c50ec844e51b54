//! What went wrong talking to AWS, in the user's words: the call
//! (`service:Operation`), where it went, what happened, and the fix. The SDK's full
//! error chain is kept apart (`detail`) and shown only with `-v`.

use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::trace;

/// Why a call never got an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// With the SDK's account of which limit was hit.
    TimedOut(String),
    Refused,
    UnknownHost,
    /// Any other connection failure, with its innermost reason.
    Other(String),
    /// An answer that is not an AWS response (an HTML error page from a proxy
    /// or a failing server): what the call did is unknown.
    Unreadable(String),
}

const ENDPOINT_FIX: &str = "the endpoint (--endpoint-url, AWS_ENDPOINT_URL, or the env's endpointUrl in amplify/.config/local-aws-info.json)";

#[derive(Clone, Debug, thiserror::Error)]
pub enum CloudError {
    #[error("{what} was not found ({action}).")]
    NotFound { action: &'static str, what: String },
    /// `message` is AWS's (with the endpoint, when known).
    #[error(
        "Access denied for {action}: {message}\nGrant the permission `{action}` to the credentials in use (profile or environment), or choose another profile with --profile."
    )]
    AccessDenied {
        action: &'static str,
        message: String,
        /// AWS's error code and the SDK's error chain, for `-v`.
        detail: String,
    },
    #[error(
        "{action}{} {}\n{}",
        at(endpoint),
        unreachable_what(problem),
        unreachable_fix(problem)
    )]
    Unreachable {
        action: &'static str,
        endpoint: Option<String>,
        problem: Unreachable,
        detail: String,
    },
    #[error(
        "{action}{} was throttled: AWS asked authwiz to slow down, and the retries were throttled too.\nWait a minute and run the command again, or allow more retries (AWS_MAX_ATTEMPTS=5, or AWS_RETRY_MODE=adaptive).",
        at(endpoint)
    )]
    Throttled {
        action: &'static str,
        endpoint: Option<String>,
        detail: String,
    },
    #[error(
        "No AWS credentials could be loaded for {action} ({reason}).\nSet AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile NAME with a profile of ~/.aws/config or ~/.aws/credentials (`aws configure`, or `aws sso login` for an SSO profile)."
    )]
    NoCredentials {
        action: &'static str,
        reason: String,
        detail: String,
    },
    #[error(
        "AWS profile '{profile}' is not defined in {files} (profiles there: {}).\nPass --profile with one of them (or set AWS_PROFILE, or change the env's profileName in amplify/.config/local-aws-info.json), or create it with `aws configure --profile {profile}`.",
        list_or_none(known)
    )]
    UnknownProfile {
        profile: String,
        files: String,
        known: Vec<String>,
    },
    #[error(
        "authwiz stopped before {action}: this command has already waited {} s for AWS.\nCheck the network and {ENDPOINT_FIX}; on a slow link allow more with AUTHWIZ_COMMAND_TIMEOUT (seconds).",
        budget.as_secs_f64()
    )]
    OutOfTime {
        action: &'static str,
        budget: Duration,
    },
    /// Any other error answer from AWS; `message` is AWS's (with the
    /// endpoint, when known), `detail` its code and the SDK's error chain.
    #[error("{action} failed: {message}")]
    Rejected {
        action: &'static str,
        message: String,
        detail: String,
    },
    /// A failure authwiz names itself (not an answer from AWS).
    #[error("{action} failed: {message}")]
    Failed {
        action: &'static str,
        message: String,
    },
    #[error("{name}={value:?} is not valid: {rule}\nFix or unset {name}.")]
    Setting {
        name: String,
        value: String,
        rule: &'static str,
    },
    #[error("No AWS region is set for this project.\nPass --region REGION or set AWS_REGION.")]
    NoRegion,
    #[error("Could not start the async runtime: {0}")]
    Runtime(String),
}

fn at(endpoint: &Option<String>) -> String {
    endpoint
        .as_ref()
        .map(|e| format!(" at {e}"))
        .unwrap_or_default()
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn unreachable_what(p: &Unreachable) -> String {
    match p {
        Unreachable::TimedOut(limit) => format!("timed out ({limit})."),
        Unreachable::Refused => "failed: connection refused (nothing listens there).".into(),
        Unreachable::UnknownHost => "failed: the host name could not be resolved.".into(),
        Unreachable::Other(reason) => format!("failed: {reason}."),
        Unreachable::Unreadable(reason) => {
            format!("failed: the answer was not an AWS response ({reason}).")
        }
    }
}

fn unreachable_fix(p: &Unreachable) -> String {
    match p {
        Unreachable::TimedOut(_) => format!(
            "Check the network and {ENDPOINT_FIX}. On a slow link wait longer with AUTHWIZ_ATTEMPT_TIMEOUT and AUTHWIZ_CALL_TIMEOUT (seconds)."
        ),
        Unreachable::Refused => format!(
            "Check {ENDPOINT_FIX}, or start the service that should listen there (a local emulator)."
        ),
        Unreachable::UnknownHost => {
            format!("Check the network (DNS, VPN, proxy), the region, and {ENDPOINT_FIX}.")
        }
        Unreachable::Other(_) => {
            format!("Check the network (proxy, firewall), the region, and {ENDPOINT_FIX}.")
        }
        Unreachable::Unreadable(_) => format!(
            "Check {ENDPOINT_FIX}; if it is right, the service failed: run the command again (it looks up what the call may have done first)."
        ),
    }
}

/// Error codes AWS services use for "slow down".
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
];

impl CloudError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, CloudError::NotFound { .. })
    }

    /// Whether the call may have been carried out though no answer came (a
    /// timeout, a dropped connection): what it did must be looked up.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, CloudError::Unreachable { .. })
    }

    /// The SDK's full error chain, for `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            CloudError::Unreachable { detail, .. }
            | CloudError::Throttled { detail, .. }
            | CloudError::NoCredentials { detail, .. }
            | CloudError::AccessDenied { detail, .. }
            | CloudError::Rejected { detail, .. } => Some(detail),
            _ => None,
        }
    }

    /// Maps an SDK error to what the user needs to know; `what` names the resource.
    pub fn from_sdk<E, R>(
        action: &'static str,
        what: impl Into<String>,
        err: SdkError<E, R>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let detail = DisplayErrorContext(&err).to_string();
        let endpoint = trace::endpoint_of(action);
        if let Some(spent) = find::<trace::OutOfTime>(&err) {
            return CloudError::OutOfTime {
                action,
                budget: spent.budget,
            };
        }
        if find::<CredentialsError>(&err).is_some() {
            return CloudError::NoCredentials {
                action,
                reason: innermost(&err),
                detail,
            };
        }
        let message = err
            .message()
            .map(str::to_string)
            .unwrap_or_else(|| innermost(&err))
            + &endpoint
                .as_ref()
                .map(|e| format!(" (endpoint {e})"))
                .unwrap_or_default();
        match err.code() {
            Some(
                "ResourceNotFoundException"
                | "NoSuchEntity"
                | "NoSuchEntityException"
                | "UserNotFoundException",
            ) => {
                return CloudError::NotFound {
                    action,
                    what: what.into(),
                };
            }
            Some(
                "AccessDeniedException"
                | "AccessDenied"
                | "UnauthorizedOperation"
                | "NotAuthorizedException",
            ) => {
                return CloudError::AccessDenied {
                    action,
                    message,
                    detail: coded(err.code(), &detail),
                };
            }
            Some(code) if THROTTLING.contains(&code) => {
                return CloudError::Throttled {
                    action,
                    endpoint,
                    detail,
                };
            }
            _ => {}
        }
        match unreachable(&err) {
            Some(problem) => CloudError::Unreachable {
                action,
                endpoint,
                problem,
                detail,
            },
            None => CloudError::Rejected {
                action,
                message,
                detail: coded(err.code(), &detail),
            },
        }
    }
}

/// Why AWS could not be reached, when that is what happened (a timeout, a
/// connection that failed), as opposed to an answer from AWS.
fn unreachable<E, R>(err: &SdkError<E, R>) -> Option<Unreachable>
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match err {
        SdkError::TimeoutError(_) => Some(Unreachable::TimedOut(innermost(err))),
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            Some(Unreachable::TimedOut(innermost(err)))
        }
        SdkError::DispatchFailure(_) => Some(connection_problem(err)),
        SdkError::ResponseError(_) => Some(Unreachable::Unreadable(innermost(err))),
        _ => None,
    }
}

/// The SDK's error chain, after AWS's error code when there is one.
fn coded(code: Option<&str>, chain: &str) -> String {
    match code {
        Some(code) => format!("{code}: {chain}"),
        None => chain.to_string(),
    }
}

/// Every error in the chain, outermost first.
fn chain<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

fn find<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    chain(err).find_map(|e| e.downcast_ref::<T>())
}

/// The first line of the innermost error: the actual reason, without the SDK's wrapping.
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    chain(err)
        .last()
        .map(|e| e.to_string())
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_string()
}

fn connection_problem(err: &(dyn std::error::Error + 'static)) -> Unreachable {
    for e in chain(err) {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Unreachable::Refused,
                std::io::ErrorKind::TimedOut => return Unreachable::TimedOut(innermost(err)),
                _ => {}
            }
        }
        if e.to_string().starts_with("dns error") {
            return Unreachable::UnknownHost;
        }
    }
    Unreachable::Other(innermost(err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_iam::operation::get_role::GetRoleError;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn service(code: &str) -> CloudError {
        let meta = ErrorMetadata::builder()
            .code(code)
            .message("injected")
            .build();
        let err = SdkError::service_error(
            GetRoleError::generic(meta),
            Response::new(StatusCode::try_from(400).unwrap(), SdkBody::empty()),
        );
        CloudError::from_sdk("iam:GetRole", "IAM role r", err)
    }

    #[test]
    fn service_codes_say_what_happened() {
        assert!(service("NoSuchEntity").is_not_found());
        assert!(matches!(
            service("AccessDenied"),
            CloudError::AccessDenied { .. }
        ));
        let throttled = service("Throttling").to_string();
        assert!(
            throttled.starts_with("iam:GetRole was throttled"),
            "{throttled}"
        );
        assert!(throttled.contains("AWS_MAX_ATTEMPTS"), "{throttled}");
        assert_eq!(
            service("InvalidInput").to_string(),
            "iam:GetRole failed: injected"
        );
    }

    #[test]
    fn connection_failures_are_one_line_and_keep_the_chain_for_verbose() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let err: SdkError<GetRoleError, Response> =
            SdkError::dispatch_failure(ConnectorError::io(Box::new(refused)));
        let e = CloudError::from_sdk("iam:GetRole", "IAM role r", err);
        let text = e.to_string();
        assert_eq!(
            text.lines().next().unwrap(),
            "iam:GetRole failed: connection refused (nothing listens there)."
        );
        assert!(!text.contains("DispatchFailure"), "{text}");
        assert!(e.detail().unwrap().contains("dispatch failure"));

        let err: SdkError<GetRoleError, Response> =
            SdkError::timeout_error("operation timeout occurred after 12s");
        let e = CloudError::from_sdk("iam:GetRole", "IAM role r", err);
        assert!(
            e.to_string()
                .starts_with("iam:GetRole timed out (operation timeout occurred after 12s).\n"),
            "{e}"
        );
        assert!(e.to_string().contains("AUTHWIZ_CALL_TIMEOUT"), "{e}");
    }
}
