//! The top-level error (the command layer): every layer's error, plus the
//! command's own refusals. Every variant says what happened, where, and what to
//! do next.

use crate::auth::AuthError;
use crate::cloud::CloudError;
use crate::project::{ProjectError, StoreError};
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
