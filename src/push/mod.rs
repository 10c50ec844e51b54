//! What a push changes (the plan) and, later, applying it.

pub mod plan;
pub mod storage;
