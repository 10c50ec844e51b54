//! The auth domain: imported Cognito resources (ids, discovery, the import
//! walkthrough, validation, the project state an import writes), env init, and
//! removal. Never prints, never prompts: it asks through an `Asker`, reads through
//! the cloud traits and tells through `Notices`.

pub mod backup;
pub mod backup_read;
pub mod client;
pub mod detach;
pub mod env;
pub mod env_init;
pub mod error;
pub mod ids;
pub mod import;
pub mod managed;
pub mod model;
pub mod remove;
#[cfg(test)]
mod schema_checks;
pub mod state;
pub mod triggers;
pub mod trust;

pub use error::AuthError;
pub use model::{AuthSelections, CATEGORY};
