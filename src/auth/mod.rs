//! The auth domain: imported Cognito resources (ids, discovery, validation, the
//! project state an import writes) and removal. Never prints, never prompts.

pub mod env;
pub mod ids;
pub mod import;
pub mod remove;
pub mod state;
pub mod trust;

/// `authSelections` in parameters.json.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthSelections {
    UserPoolOnly,
    IdentityPoolAndUserPool,
}

impl AuthSelections {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthSelections::UserPoolOnly => "userPoolOnly",
            AuthSelections::IdentityPoolAndUserPool => "identityPoolAndUserPool",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "userPoolOnly" => Some(AuthSelections::UserPoolOnly),
            "identityPoolAndUserPool" => Some(AuthSelections::IdentityPoolAndUserPool),
            _ => None,
        }
    }
}
