//! The top-level error: every variant says what happened, where, and what to do next.

use crate::cloud::CloudError;
use crate::project::StoreError;
use crate::prompt::PromptError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error(transparent)]
    Cloud(#[from] CloudError),
    /// An imported user pool that no longer exists (env init treats it apart).
    #[error("The previously configured Cognito User Pool: '{name}' ({id}) cannot be found.\n{fix}")]
    UserPoolNotFound {
        id: String,
        name: String,
        fix: String,
    },
    /// A refusal or a failed check, with the way out.
    #[error("{what}\n{fix}")]
    Refused { what: String, fix: String },
}

impl Error {
    pub fn refused(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::Refused {
            what: what.into(),
            fix: fix.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
