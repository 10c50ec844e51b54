//! The walkthrough's Lambda trigger questions: the capabilities (after the
//! attributes), the manual flow's triggers and their modules (Amplify's
//! `triggerFlow`), an existing function to attach instead, and the values
//! each chosen module asks for (Amplify's trigger maps' questions). The
//! answers become a [`Selection`] in [`selection`].

use super::base::{BASE, LAMBDA_TRIGGERS, advanced_or_manual, manual};
use super::{Answers, Choices, Default, Help, Kind, Opt, Spec, Walk, opt};
use crate::auth::triggers::catalog::{self, CAPABILITIES, Trigger};
use crate::auth::triggers::{CUSTOM, Selection, check_function_arn, check_param};
use crate::prompt::Choice;

pub const CAPABILITIES_ID: &str = "capabilities";
pub const TRIGGERS: &str = "triggers";
pub const TRIGGER_MODULES: &str = "trigger-modules";
pub const TRIGGER_FUNCTION: &str = "trigger-function";
/// The choice of a trigger's modules that attaches an existing function.
pub const EXISTING: &str = "existing";

/// The capabilities as choices, in Amplify's order.
const CAPABILITY_OPTS: &[Opt] = &capability_opts::<7>();

const fn capability_opts<const N: usize>() -> [Opt; N] {
    let mut out = [opt("", ""); N];
    let mut i = 0;
    while i < N {
        out[i] = opt(CAPABILITIES[i].label, CAPABILITIES[i].word);
        i += 1;
    }
    out
}

const TRIGGER_OPTS: &[Opt] = &trigger_opts::<10>();

const fn trigger_opts<const N: usize>() -> [Opt; N] {
    let mut out = [opt("", ""); N];
    let mut i = 0;
    while i < N {
        out[i] = opt(Trigger::ALL[i].label(), Trigger::ALL[i].word());
        i += 1;
    }
    out
}

fn wants_triggers(w: &Walk) -> bool {
    manual(w) && w.is(LAMBDA_TRIGGERS, "yes")
}

fn has_triggers(w: &Walk) -> bool {
    wants_triggers(w) && !w.many(TRIGGERS).is_empty()
}

/// `(trigger word, value)` of a per-trigger answer (`pre-sign-up=custom`).
pub fn split_pair(entry: &str) -> Option<(&str, &str)> {
    entry.split_once('=').map(|(k, v)| (k.trim(), v.trim()))
}

fn chosen_triggers(w: &Walk) -> Vec<(String, String)> {
    w.many(TRIGGERS)
        .iter()
        .filter_map(|t| Trigger::from_word(t))
        .map(|t| (t.word().to_string(), t.label().to_string()))
        .collect()
}

fn module_choices(word: &str) -> Vec<Choice> {
    let Some(t) = Trigger::from_word(word) else {
        return Vec::new();
    };
    t.modules()
        .map(|m| Choice::new(m.label, m.name))
        .chain([
            Choice::new("Create your own module", CUSTOM),
            Choice::new("Use an existing Lambda function (enter its ARN)", EXISTING),
        ])
        .collect()
}

/// A trigger's modules before the question: the capabilities' ones, or a blank module.
fn default_modules(w: &Walk) -> Vec<String> {
    let mut out = Vec::new();
    for (word, _) in chosen_triggers(w) {
        let t = Trigger::from_word(&word);
        let from_capabilities: Vec<&str> = CAPABILITIES
            .iter()
            .filter(|c| w.is(CAPABILITIES_ID, c.word))
            .flat_map(|c| c.modules.iter())
            .filter(|(ct, _)| Some(*ct) == t)
            .map(|(_, m)| *m)
            .collect();
        if from_capabilities.is_empty() {
            out.push(format!("{word}={CUSTOM}"));
        }
        out.extend(from_capabilities.iter().map(|m| format!("{word}={m}")));
    }
    out
}

fn attaching(w: &Walk) -> Vec<(String, String)> {
    w.many(TRIGGER_MODULES)
        .iter()
        .filter_map(|e| split_pair(e))
        .filter(|(_, m)| *m == EXISTING)
        .filter_map(|(t, _)| Trigger::from_word(t))
        .map(|t| (t.word().to_string(), t.label().to_string()))
        .collect()
}

fn attaches(w: &Walk) -> bool {
    has_triggers(w) && !attaching(w).is_empty()
}

pub(super) const ASK_CAPABILITIES: Spec = Spec {
    id: CAPABILITIES_ID,
    message: "Do you want to enable any of the following capabilities?",
    kind: Kind::Many,
    choices: Choices::Fixed(CAPABILITY_OPTS),
    default: Default::Values(&[]),
    when: advanced_or_manual,
    flag: "--capabilities LIST",
    help: Help::Text(
        "Lambda-trigger capabilities: recaptcha, email-verification-link, add-user-to-group, email-denylist, email-allowlist, custom-auth-challenge, override-id-token-claims ('' for none)",
    ),
    ..BASE
};

pub(super) const ASK_TRIGGERS: Spec = Spec {
    id: TRIGGERS,
    message: "Which triggers do you want to enable for Cognito",
    kind: Kind::Many,
    choices: Choices::Fixed(TRIGGER_OPTS),
    default: Default::Values(&[]),
    when: wants_triggers,
    flag: "--triggers LIST",
    help: Help::Text(
        "Manual, with --lambda-triggers yes: pre-sign-up, post-confirmation, custom-message, pre-token-generation, user-migration, ... (docs/triggers.md)",
    ),
    ..BASE
};

pub(super) const ASK_TRIGGER_MODULES: Spec = Spec {
    id: TRIGGER_MODULES,
    message: "What functionality do you want to use for",
    kind: Kind::PerValue {
        of: chosen_triggers,
        choices: Some(module_choices),
    },
    default: Default::From(default_modules),
    when: has_triggers,
    flag: "--trigger-modules LIST",
    help: Help::Text(
        "TRIGGER=MODULE pairs, e.g. pre-sign-up=email-filter-denylist,post-confirmation=custom ('custom': a blank module; 'existing': see --trigger-function)",
    ),
    ..BASE
};

fn arn_rule(s: &str) -> Result<(), String> {
    check_function_arn(s)
}

pub(super) const ASK_TRIGGER_FUNCTION: Spec = Spec {
    id: TRIGGER_FUNCTION,
    message: "Enter the ARN of the existing Lambda function for",
    kind: Kind::PerValue {
        of: attaching,
        choices: None,
    },
    when: attaches,
    rule: Some(arn_rule),
    flag: "--trigger-function LIST",
    help: Help::Text(
        "TRIGGER=ARN pairs: attach an existing Lambda function (never changed or deleted by authwiz)",
    ),
    ..BASE
};

/// Whether the answers select `module` (through a capability or a trigger's modules).
fn selects(w: &Walk, module: &str) -> bool {
    let by_capability = CAPABILITIES
        .iter()
        .any(|c| w.is(CAPABILITIES_ID, c.word) && c.modules.iter().any(|(_, m)| *m == module));
    let by_trigger = w
        .many(TRIGGER_MODULES)
        .iter()
        .filter_map(|e| split_pair(e))
        .any(|(_, m)| m == module);
    by_capability || by_trigger
}

macro_rules! param_spec {
    ($name:ident, $module:literal, $key:literal, $id:literal, $message:literal, $flag:literal, $default:expr, $secret:expr) => {
        pub(super) const $name: Spec = Spec {
            id: $id,
            message: $message,
            default: $default,
            when: {
                fn when(w: &Walk) -> bool {
                    selects(w, $module)
                }
                when
            },
            rule: Some({
                fn rule(s: &str) -> Result<(), String> {
                    check_param($key, s)
                }
                rule
            }),
            secret: $secret,
            flag: $flag,
            help: Help::Prompt(concat!($module, ": "), ""),
            ..BASE
        };
    };
}

param_spec!(
    ASK_GROUP,
    "add-to-group",
    "GROUP",
    "add-to-group",
    "Enter the name of the group to which users will be added.",
    "--add-to-group NAME",
    Default::Required,
    false
);
param_spec!(
    ASK_DENYLIST,
    "email-filter-denylist",
    "DOMAINDENYLIST",
    "denylist-domains",
    "Enter a comma-delimited list of disallowed email domains (example: 'mydomain.com, myotherdomain.com').",
    "--denylist-domains LIST",
    Default::Required,
    false
);
param_spec!(
    ASK_ALLOWLIST,
    "email-filter-allowlist",
    "DOMAINALLOWLIST",
    "allowlist-domains",
    "Enter a comma-delimited list of allowed email domains (example: 'mydomain.com, myotherdomain.com').",
    "--allowlist-domains LIST",
    Default::Required,
    false
);
param_spec!(
    ASK_REDIRECT_URL,
    "verification-link",
    "REDIRECTURL",
    "redirect-url",
    "Enter the URL that your users will be redirected to upon account confirmation:",
    "--redirect-url URL",
    Default::Required,
    false
);
param_spec!(
    ASK_LINK_SUBJECT,
    "verification-link",
    "EMAILSUBJECT",
    "verification-link-subject",
    "Enter the subject for your custom account confirmation email:",
    "--verification-link-subject TEXT",
    Default::Values(&["Confirm your account"]),
    false
);
param_spec!(
    ASK_LINK_MESSAGE,
    "verification-link",
    "EMAILMESSAGE",
    "verification-link-message",
    "Enter the body text for your custom account confirmation email (this will appear before the link URL):",
    "--verification-link-message TEXT",
    Default::Values(&["Click this link to confirm your account:"]),
    false
);
param_spec!(
    ASK_ADD_CLAIMS,
    "alter-claims",
    "CLAIMSTOADD",
    "add-claims",
    "Enter the claims to add to or override in ID tokens, as a JSON object (example: {\"tier\": \"gold\"}; empty for none):",
    "--add-claims JSON",
    Default::Values(&[""]),
    false
);
param_spec!(
    ASK_SUPPRESS_CLAIMS,
    "alter-claims",
    "CLAIMSTOSUPPRESS",
    "suppress-claims",
    "Enter a comma-delimited list of claims to remove from ID tokens (empty for none):",
    "--suppress-claims LIST",
    Default::Values(&[""]),
    false
);
param_spec!(
    ASK_OLD_POOL,
    "user-migration",
    "OLDUSERPOOLID",
    "migrate-from-user-pool",
    "Enter the id of the user pool to migrate users from:",
    "--migrate-from-user-pool ID",
    Default::Required,
    false
);
param_spec!(
    ASK_OLD_CLIENT,
    "user-migration",
    "OLDCLIENTID",
    "migrate-from-client",
    "Enter the id of an app client of that user pool (it must allow ADMIN_USER_PASSWORD_AUTH):",
    "--migrate-from-client ID",
    Default::Required,
    false
);
param_spec!(
    ASK_RECAPTCHA_SECRET,
    "captcha-verify",
    "RECAPTCHASECRET",
    "recaptcha-secret",
    "Enter the Google reCaptcha secret key:",
    "--recaptcha-secret SECRET",
    Default::Required,
    true
);

/// The values' questions, in the order a trigger's modules come.
pub(super) const PARAM_SPECS: [Spec; 11] = [
    ASK_GROUP,
    ASK_DENYLIST,
    ASK_ALLOWLIST,
    ASK_REDIRECT_URL,
    ASK_LINK_SUBJECT,
    ASK_LINK_MESSAGE,
    ASK_ADD_CLAIMS,
    ASK_SUPPRESS_CLAIMS,
    ASK_OLD_POOL,
    ASK_OLD_CLIENT,
    ASK_RECAPTCHA_SECRET,
];

/// The triggers the answers select; `current` is what an update starts from
/// (what the answers do not ask about stays as it is).
pub fn selection(a: &Answers, current: &Selection) -> Selection {
    let mut s = Selection::default();
    let asked_capabilities = a.many(CAPABILITIES_ID).is_some();
    let asked_triggers = a
        .many(LAMBDA_TRIGGERS)
        .is_some_and(|v| v.iter().any(|x| x == "yes"));
    // What neither question covers stays: the triggers outside any
    // capability when the manual trigger flow is not taken, and all of them
    // when the capabilities are not asked either.
    let in_capability = |t: Trigger, m: &str| {
        CAPABILITIES
            .iter()
            .any(|c| c.modules.iter().any(|(ct, cm)| *ct == t && *cm == m))
    };
    if !asked_triggers {
        for (t, modules) in &current.modules {
            for m in modules {
                if !asked_capabilities || !in_capability(*t, m) {
                    push(&mut s, *t, m);
                }
            }
        }
        s.functions = current.functions.clone();
    }
    for c in CAPABILITIES
        .iter()
        .filter(|c| a.is(CAPABILITIES_ID, c.word))
    {
        for (t, m) in c.modules {
            push(&mut s, *t, m);
        }
    }
    for e in a.many(TRIGGER_MODULES).unwrap_or_default() {
        if let Some((t, m)) = split_pair(e)
            && let Some(t) = Trigger::from_word(t)
            && m != EXISTING
        {
            push(&mut s, t, m);
        }
    }
    for e in a.many(TRIGGER_FUNCTION).unwrap_or_default() {
        if let Some((t, arn)) = split_pair(e)
            && let Some(t) = Trigger::from_word(t)
        {
            s.functions.insert(t, arn.to_string());
        }
    }
    s.params = current.params.clone();
    for spec in PARAM_SPECS {
        if let Some(v) = a.one(spec.id) {
            let key = catalog::MODULES
                .iter()
                .flat_map(|m| m.params)
                .find(|p| p.id == spec.id)
                .map(|p| p.key);
            if let Some(key) = key {
                s.params.insert(key.to_string(), v.trim().to_string());
            }
        }
    }
    let used: Vec<&str> = s.used_params().iter().map(|p| p.key).collect();
    s.params.retain(|k, _| used.contains(&k.as_str()));
    s
}

fn push(s: &mut Selection, t: Trigger, m: &str) {
    let list = s.modules.entry(t).or_default();
    if !list.iter().any(|x| x == m) {
        list.push(m.to_string());
    }
}

/// A resource's triggers as the answers an update starts from.
pub fn current_answers(a: &mut Answers, s: &Selection) {
    let capabilities = catalog::capabilities_of(|t, m| s.runs(t, m));
    a.set(
        CAPABILITIES_ID,
        capabilities.iter().map(|c| c.to_string()).collect(),
    );
    let triggers: Vec<String> = Trigger::ALL
        .iter()
        .filter(|t| s.modules.contains_key(t) || s.functions.contains_key(t))
        .map(|t| t.word().to_string())
        .collect();
    a.set(TRIGGERS, triggers);
    let mut pairs: Vec<String> = Vec::new();
    for (t, modules) in &s.modules {
        pairs.extend(modules.iter().map(|m| format!("{}={m}", t.word())));
    }
    pairs.extend(
        s.functions
            .keys()
            .map(|t| format!("{}={EXISTING}", t.word())),
    );
    a.set(TRIGGER_MODULES, pairs);
    let functions = s.functions.iter();
    a.set(
        TRIGGER_FUNCTION,
        functions
            .map(|(t, arn)| format!("{}={arn}", t.word()))
            .collect(),
    );
    for spec in PARAM_SPECS {
        let key = catalog::MODULES
            .iter()
            .flat_map(|m| m.params)
            .find(|p| p.id == spec.id)
            .map(|p| p.key);
        if let Some(v) = key.and_then(|k| s.params.get(k)) {
            a.set(spec.id, vec![v.clone()]);
        }
    }
}
