//! The top-level error (the command layer): every layer's error, plus the
//! command's own refusals. Every variant says what happened, where, and what to
//! do next.

use crate::auth::AuthError;
use crate::cloud::CloudError;
use crate::project::{NameError, ProjectError, StoreError};
use crate::prompt::PromptError;
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A refusal or a failed check of a command, with the way out.
    #[error("{what}\n{fix}")]
    Refused { what: String, fix: String },
    /// A push that failed at a step: what it left, the way out, and the
    /// cloud's error itself (its detail is shown by `-v`).
    #[error("{what}\n{fix}")]
    PushFailed {
        what: String,
        fix: String,
        cause: Box<CloudError>,
    },
}

impl Error {
    /// The full cause behind the message (the AWS SDK's error chain), for `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::Cloud(c) | Error::Auth(AuthError::Cloud(c)) => c.detail(),
            Error::PushFailed { cause, .. } => cause.detail(),
            _ => None,
        }
    }

    /// Bad usage (exit status 2, as clap's own usage errors and GNU tools):
    /// a flag's value that is not valid, or a flag the other answers leave out.
    pub fn is_usage(&self) -> bool {
        let bad_flag = |e: &PromptError| matches!(e, PromptError::Invalid { supply, .. } if supply.starts_with("--"));
        match self {
            Error::Prompt(e) | Error::Auth(AuthError::Prompt(e)) => bad_flag(e),
            Error::Auth(AuthError::FlagNotApplicable { .. }) => true,
            _ => false,
        }
    }

    pub fn refused(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::Refused {
            what: what.into(),
            fix: fix.into(),
        }
    }
}

/// A name refused where a file is read (outside `Project::open`, e.g. storage's cli-inputs.json).
impl From<NameError> for Error {
    fn from(e: NameError) -> Self {
        Error::Project(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
