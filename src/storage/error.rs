//! The storage domain's errors: what is wrong and the fix, per variant.

use crate::cloud::CloudError;
use crate::project::{NameError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("Storage needs auth: the project has no auth resource.\n{0}")]
    NoAuth(&'static str),
    #[error(
        "The imported auth config is not compatible with the specified storage config\n{0}\nManually configure the imported auth resource according to the details above (or remove auth and import a User Pool with an Identity Pool)."
    )]
    IncompatibleAuth(String),
    #[error(
        "Auth resource '{0}' is managed by Amplify; authwiz applies storage access to imported auth only.\nUse the Amplify CLI for storage on managed auth, or import the Cognito resources (`authwiz remove auth`, `authwiz import auth`)."
    )]
    ManagedAuth(String),
    #[error(
        "{path} is missing for storage resource '{name}'.\nRestore it from version control, or remove the resource (`authwiz remove storage`) and add it again."
    )]
    MissingInputs { path: String, name: String },
    #[error(
        "Storage '{resource}' grants {audience} access, but environment '{env}' has no such role.\nImport an identity pool with that role (`authwiz remove auth`, `authwiz import auth`), or change the access (`authwiz update storage`)."
    )]
    NoRole {
        resource: String,
        audience: &'static str,
        env: String,
    },
    #[error(
        "IAM role '{0}' of the imported identity pool does not exist; nothing was pushed.\nSet existing roles on the identity pool and import again (`authwiz remove auth`, `authwiz import auth`)."
    )]
    RoleGone(String),
    #[error(
        "IAM role '{role}' cannot carry storage access for this identity pool; nothing was pushed:\n{problems}\nFix the trust policy as described (authwiz never changes the trust policy of an imported role), then push again."
    )]
    Untrusted { role: String, problems: String },
}
