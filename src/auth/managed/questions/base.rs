//! What the question tables share: the ids the flows turn on, the flows
//! themselves (`add auth`'s default or manual configuration, `update auth`'s
//! action), and the spec every question starts from.

use super::{Choices, Default, Help, Kind, Spec, Walk};

pub const ACTION: &str = "action";
pub const DEFAULT_CONFIG: &str = "default-config";
pub const ADVANCED: &str = "advanced-settings";
pub const LAMBDA_TRIGGERS: &str = "lambda-triggers";

pub fn never(_: &Walk) -> bool {
    false
}

/// The walkthrough chosen: `default`, `social`, `manual` (add and update), or
/// one of the update menu's other actions.
pub fn flow<'a>(w: &'a Walk) -> &'a str {
    let id = if w.updating() { ACTION } else { DEFAULT_CONFIG };
    w.one(id).unwrap_or_default()
}

pub fn manual(w: &Walk) -> bool {
    flow(w) == "manual"
}

/// `add auth`'s default configurations (their advanced settings question).
pub fn default_flow(w: &Walk) -> bool {
    matches!(flow(w), "default" | "social")
}

/// The advanced settings were chosen (`add auth` only: an update has no such question).
pub fn advanced(w: &Walk) -> bool {
    default_flow(w) && w.is(ADVANCED, "yes")
}

pub fn advanced_or_manual(w: &Walk) -> bool {
    advanced(w) || manual(w)
}

/// What every spec has unless it says otherwise.
pub const BASE: Spec = Spec {
    id: "",
    prefix: &[],
    message: "",
    kind: Kind::Text,
    choices: Choices::Fixed(&[]),
    default: Default::Required,
    learn_more: None,
    hint: None,
    when: never,
    rule: None,
    check: None,
    secret: false,
    refuse: &[],
    flag: "",
    help: Help::Prompt("", ""),
    headless_key: None,
};
