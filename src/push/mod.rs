//! What a push changes (the plan) and, later, applying it.

pub mod auth;
pub mod cognito;
pub mod drift;
pub mod engine;
pub mod fields;
pub mod managed_auth;
mod managed_triggers;
pub mod operation;
pub mod plan;
pub mod providers;
pub mod pull;
pub mod record;
pub mod registry;
pub mod resource;
pub mod storage;
pub mod storage_push;
pub mod triggers;
