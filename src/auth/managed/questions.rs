//! The `add auth` walkthrough as data: one table of question specs (Amplify
//! 14.2.2's prompts, choices and help texts, from its `supported-services` and
//! string maps and the fixture transcripts). The same table drives the prompts,
//! the `--yes` defaults and the flags (each spec names its flag; the flag's
//! value is the choice's `value`), and names the AddAuthRequest key that
//! answers the same thing headlessly. [`walk`] asks the questions whose
//! condition holds, in table order; it never prints, it tells through
//! [`Notices`].

use crate::notice::{Notice, Notices};
use crate::prompt::{Asker, Choice, PromptError, Question, invalid};

use super::super::error::AuthError;

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One choice (a list prompt).
    One,
    /// Any number of choices (a checkbox prompt); a flag gives them comma-separated.
    Many,
}

/// One choice: what the prompt shows and what a flag (and the answers) call it.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub label: &'static str,
    pub value: &'static str,
}

const fn opt(label: &'static str, value: &'static str) -> Opt {
    Opt { label, value }
}

/// A check of a question's picked values: `Err` says what is wrong.
pub type Check = fn(&[String]) -> Result<(), String>;

/// One question of the walkthrough.
#[derive(Clone, Copy)]
pub struct Spec {
    /// Key of the answers and of the pre-given values: the flag's name without dashes.
    pub id: &'static str,
    /// Lines shown before the prompt (Amplify's `prefix`).
    pub prefix: &'static [&'static str],
    pub message: &'static str,
    pub kind: Kind,
    pub choices: &'static [Opt],
    /// Values of the default choice(s): what Enter and `--yes` pick.
    pub default: &'static [&'static str],
    /// Amplify's help text: adds the "I want to learn more." choice, which shows
    /// it and asks again.
    pub learn_more: Option<&'static str>,
    /// Asked only when this holds for the answers so far.
    pub when: fn(&Answers) -> bool,
    /// A check of the picked values (a prompt asks again; a flag is an error).
    pub validate: Option<Check>,
    /// Values that authwiz does not build here: the reason and the way around.
    pub refuse: &'static [(&'static str, &'static str)],
    /// The flag that answers it, as shown in errors and `--help`.
    pub flag: &'static str,
    /// The AddAuthRequest (version 2) key that answers the same thing, if any.
    pub headless_key: Option<&'static str>,
}

/// The choice that shows a question's help text.
pub const LEARN_MORE: Opt = opt("I want to learn more.", "learnMore");

const PROVIDER_PREFIX: &[&str] = &["", "The current configured provider is Amazon Cognito.", ""];
const NO_EDIT: &[&str] = &["Warning: you will not be able to edit these selections."];

const USE_DEFAULT_HELP: &str = "This utility allows you to set up Amazon Cognito User Pools and Identity Pools for your application.\nAmazon Cognito User Pool makes it easy for developers to add sign-up and sign-in functionality to web and mobile applications. It serves as your own identity provider to maintain a user directory. It supports user registration and sign-in, as well as provisioning identity tokens for signed-in users.\nAmazon Cognito identity pools provide temporary AWS credentials for users who are guests (unauthenticated) and for users who have been authenticated and received a token. An identity pool is a store of user identity data specific to your account.\nIf you choose to use the default configuration, this utility will set up both a Userpool and an Identity Pool.\nIf you choose the 'Default configuration with Social Provider (Federation)', the providers will be federated with Cognito User Pools.\nIn either case, User Pools will be federated with Identity Pools allowing any users logging in to get both identity tokens as well as AWS Credentials.";

const SIGN_IN_HELP: &str = "Selecting 'Email' and/or 'Phone Number' will allow end users to sign-up using these values.  Selecting 'Username' will require a unique username for users.";

const SOCIAL_REFUSED: &str = "The \"Default configuration with Social Provider (Federation)\" walkthrough is not in authwiz yet. Describe the hosted UI domain, redirect URIs and providers in an AddAuthRequest and run `authwiz add auth --headless < request.json` (docs/commands.md), or use `amplify add auth`.";
const MANUAL_REFUSED: &str = "The \"Manual configuration\" walkthrough is not in authwiz yet. Describe the configuration in an AddAuthRequest and run `authwiz add auth --headless < request.json` (docs/commands.md), or use `amplify add auth`.";
const TRIGGERS_REFUSED: &str = "authwiz does not create Lambda triggers, so it cannot add this capability. Leave it unselected; add it later with `amplify update auth` in the Amplify CLI.";

/// Amplify's standard attributes, in its order (`coreAttributes`).
pub const CORE_ATTRIBUTES: &[Opt] = &[
    opt("Address", "address"),
    opt("Birthdate", "birthdate"),
    opt("Email", "email"),
    opt("Family Name", "family_name"),
    opt("Middle Name", "middle_name"),
    opt("Gender", "gender"),
    opt("Locale", "locale"),
    opt("Given Name", "given_name"),
    opt("Name", "name"),
    opt("Nickname", "nickname"),
    opt("Phone Number", "phone_number"),
    opt("Preferred Username", "preferred_username"),
    opt("Picture", "picture"),
    opt("Profile", "profile"),
    opt("Updated At", "updated_at"),
    opt("Website", "website"),
    opt("Zone Info", "zoneinfo"),
];

/// The capabilities question: each one is a Lambda trigger in Amplify.
const CAPABILITIES: &[Opt] = &[
    opt("Add Google reCaptcha Challenge", "mfaWithCaptcha"),
    opt(
        "Email Verification Link with Redirect",
        "confirmationRedirect",
    ),
    opt("Add User to Group", "addUserToGroup"),
    opt("Email Domain Filtering (denylist)", "emailDenylist"),
    opt("Email Domain Filtering (allowlist)", "emailAllowlist"),
    opt(
        "Custom Auth Challenge Flow (basic scaffolding - not for production)",
        "customAuthScaffolding",
    ),
    opt("Override ID Token Claims", "alter-claims"),
];

fn always(_: &Answers) -> bool {
    true
}

fn default_flow(a: &Answers) -> bool {
    matches!(a.one(DEFAULT_CONFIG), Some("default" | "social"))
}

fn advanced(a: &Answers) -> bool {
    default_flow(a) && a.one(ADVANCED) == Some("yes")
}

pub const DEFAULT_CONFIG: &str = "default-config";
pub const SIGN_IN: &str = "sign-in";
pub const ADVANCED: &str = "advanced-settings";
pub const REQUIRED_ATTRIBUTES: &str = "required-attributes";
pub const CAPABILITIES_ID: &str = "capabilities";

/// The walkthrough, in Amplify's order.
pub const ADD_AUTH: &[Spec] = &[
    Spec {
        id: DEFAULT_CONFIG,
        prefix: PROVIDER_PREFIX,
        message: "Do you want to use the default authentication and security configuration?",
        kind: Kind::One,
        choices: &[
            opt("Default configuration", "default"),
            opt(
                "Default configuration with Social Provider (Federation)",
                "social",
            ),
            opt("Manual configuration", "manual"),
        ],
        default: &["default"],
        learn_more: Some(USE_DEFAULT_HELP),
        when: always,
        validate: None,
        refuse: &[("social", SOCIAL_REFUSED), ("manual", MANUAL_REFUSED)],
        flag: "--default-config default|social|manual",
        // Headless requests are always Amplify's "manual" (useDefault: "manual").
        headless_key: None,
    },
    Spec {
        id: SIGN_IN,
        prefix: NO_EDIT,
        message: "How do you want users to be able to sign in?",
        kind: Kind::One,
        choices: &[
            opt("Username", "username"),
            opt("Email", "email"),
            opt("Phone Number", "phone"),
            opt("Email or Phone Number", "email-or-phone"),
        ],
        default: &["username"],
        learn_more: Some(SIGN_IN_HELP),
        when: default_flow,
        validate: None,
        refuse: &[],
        flag: "--sign-in username|email|phone|email-or-phone",
        headless_key: Some("serviceConfiguration.userPoolConfiguration.signinMethod"),
    },
    Spec {
        id: ADVANCED,
        prefix: &[],
        message: "Do you want to configure advanced settings?",
        kind: Kind::One,
        choices: &[
            opt("No, I am done.", "no"),
            opt("Yes, I want to make some additional changes.", "yes"),
        ],
        default: &["no"],
        learn_more: None,
        when: default_flow,
        validate: None,
        refuse: &[],
        flag: "--advanced-settings no|yes",
        headless_key: None,
    },
    Spec {
        id: REQUIRED_ATTRIBUTES,
        prefix: NO_EDIT,
        message: "What attributes are required for signing up?",
        kind: Kind::Many,
        choices: CORE_ATTRIBUTES,
        default: &["email"],
        learn_more: None,
        when: advanced,
        validate: None,
        refuse: &[],
        flag: "--required-attributes LIST (e.g. email,name)",
        headless_key: Some("serviceConfiguration.userPoolConfiguration.requiredSignupAttributes"),
    },
    Spec {
        id: CAPABILITIES_ID,
        prefix: &[],
        message: "Do you want to enable any of the following capabilities?",
        kind: Kind::Many,
        choices: CAPABILITIES,
        default: &[],
        learn_more: None,
        when: advanced,
        validate: None,
        refuse: &[
            ("mfaWithCaptcha", TRIGGERS_REFUSED),
            ("confirmationRedirect", TRIGGERS_REFUSED),
            ("addUserToGroup", TRIGGERS_REFUSED),
            ("emailDenylist", TRIGGERS_REFUSED),
            ("emailAllowlist", TRIGGERS_REFUSED),
            ("customAuthScaffolding", TRIGGERS_REFUSED),
            ("alter-claims", TRIGGERS_REFUSED),
        ],
        flag: "--capabilities ''",
        headless_key: None,
    },
];

/// The answers so far, by question id, in the order they were given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers(Vec<(&'static str, Vec<String>)>);

impl Answers {
    /// The single answer of a one-choice question.
    pub fn one(&self, id: &str) -> Option<&str> {
        self.many(id).and_then(|v| v.first()).map(String::as_str)
    }

    pub fn many(&self, id: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v.as_slice())
    }

    pub fn set(&mut self, id: &'static str, values: Vec<String>) {
        self.0.retain(|(k, _)| *k != id);
        self.0.push((id, values));
    }
}

impl Spec {
    fn question(&self) -> Question {
        Question::new(self.id, self.message, self.flag)
    }

    /// The prompt's choices; "I want to learn more." only when someone is asked.
    fn choices(&self, prompting: bool) -> Vec<Choice> {
        let mut all: Vec<Choice> = self
            .choices
            .iter()
            .map(|o| Choice::new(o.label, o.value))
            .collect();
        if prompting && self.learn_more.is_some() {
            all.push(Choice::new(LEARN_MORE.label, LEARN_MORE.value));
        }
        all
    }

    fn default_indexes(&self) -> Vec<usize> {
        self.default
            .iter()
            .filter_map(|d| self.choices.iter().position(|o| o.value == *d))
            .collect()
    }

    /// Asks once; `None` when "I want to learn more." was picked.
    fn ask_once(&self, asker: &mut Asker) -> Result<Option<Vec<String>>, PromptError> {
        let q = self.question();
        let choices = self.choices(asker.can_ask() && !asker.is_given(self.id));
        let picked = match self.kind {
            Kind::One => {
                let default = self.default_indexes().first().copied().unwrap_or(0);
                vec![asker.select(&q, &choices, default)?]
            }
            Kind::Many => asker.multi_select(&q, &choices, &self.default_indexes())?,
        };
        if picked.iter().any(|&i| choices[i].value == LEARN_MORE.value) {
            return Ok(None);
        }
        Ok(Some(
            picked
                .into_iter()
                .map(|i| choices[i].value.clone())
                .collect(),
        ))
    }

    /// Asks until an answer passes; the help text and validation messages go to `notices`.
    fn ask(&self, asker: &mut Asker, notices: &mut dyn Notices) -> Result<Vec<String>, AuthError> {
        let prompting = asker.can_ask() && !asker.is_given(self.id);
        if prompting {
            for line in self.prefix {
                notices.notice(Notice::Info((*line).to_string()));
            }
        }
        loop {
            let Some(values) = self.ask_once(asker)? else {
                if let Some(help) = self.learn_more {
                    notices.notice(Notice::Info(help.to_string()));
                }
                continue;
            };
            if let Some(check) = self.validate
                && let Err(reason) = check(&values)
            {
                if !prompting {
                    return Err(invalid(&self.question(), reason).into());
                }
                notices.notice(Notice::Problem(reason));
                continue;
            }
            if let Some((value, why)) = self
                .refuse
                .iter()
                .find(|(v, _)| values.iter().any(|x| x == v))
            {
                let label = self
                    .choices
                    .iter()
                    .find(|o| o.value == *value)
                    .map_or(*value, |o| o.label);
                return Err(AuthError::NotInWalkthrough {
                    answer: format!("{} {label}", self.message),
                    why: (*why).to_string(),
                });
            }
            return Ok(values);
        }
    }
}

/// Asks every question of `specs` whose condition holds, in order. A flag given
/// for a question that the other answers leave out is an error naming both.
pub fn walk(
    specs: &[Spec],
    asker: &mut Asker,
    notices: &mut dyn Notices,
) -> Result<Answers, AuthError> {
    let mut answers = Answers::default();
    for spec in specs {
        if (spec.when)(&answers) {
            let values = spec.ask(asker, notices)?;
            answers.set(spec.id, values);
        }
    }
    if let Some(unused) = specs
        .iter()
        .find(|s| asker.is_given(s.id) && answers.many(s.id).is_none())
    {
        return Err(AuthError::FlagNotApplicable {
            flag: format!("--{}", unused.id),
            question: unused.message.to_string(),
        });
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::Collected;
    use crate::prompt::{NoTerminal, Reply, ScriptedPrompter};

    #[test]
    fn ids_are_unique_and_defaults_are_choices() {
        for (i, s) in ADD_AUTH.iter().enumerate() {
            assert!(ADD_AUTH[..i].iter().all(|o| o.id != s.id), "{}", s.id);
            assert!(s.flag.starts_with(&format!("--{} ", s.id)), "{}", s.flag);
            for d in s.default {
                assert!(s.choices.iter().any(|o| o.value == *d), "{}: {d}", s.id);
            }
            for (v, _) in s.refuse {
                assert!(s.choices.iter().any(|o| o.value == *v), "{}: {v}", s.id);
            }
        }
    }

    #[test]
    fn learn_more_shows_the_help_and_asks_again() {
        let mut p = ScriptedPrompter::new([
            ("default authentication", Reply::Pick("learn more".into())),
            ("default authentication", Reply::Enter),
            ("sign in", Reply::Pick("learn more".into())),
            ("sign in", Reply::Pick("Email or Phone".into())),
            ("advanced settings", Reply::Enter),
        ]);
        let mut asker = Asker::new(&mut p, false);
        let mut notices = Collected::default();
        let a = walk(ADD_AUTH, &mut asker, &mut notices).unwrap();
        assert_eq!(a.one(SIGN_IN), Some("email-or-phone"));
        assert_eq!(a.one(ADVANCED), Some("no"));
        let texts = notices.texts();
        assert!(texts.contains(&USE_DEFAULT_HELP.to_string()), "{texts:?}");
        assert!(texts.contains(&SIGN_IN_HELP.to_string()), "{texts:?}");
        assert!(p.finished());
        assert!(p.transcript.iter().any(|l| l == "  I want to learn more."));
    }

    #[test]
    fn yes_takes_every_default() {
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        let a = walk(ADD_AUTH, &mut asker, &mut Collected::default()).unwrap();
        assert_eq!(a.one(DEFAULT_CONFIG), Some("default"));
        assert_eq!(a.one(SIGN_IN), Some("username"));
        assert_eq!(a.one(ADVANCED), Some("no"));
        assert_eq!(a.many(REQUIRED_ATTRIBUTES), None);
    }

    #[test]
    fn advanced_asks_the_required_attributes_and_refuses_triggers() {
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        asker.give(ADVANCED, Some("yes"));
        asker.give(REQUIRED_ATTRIBUTES, Some("name,email"));
        let a = walk(ADD_AUTH, &mut asker, &mut Collected::default()).unwrap();
        assert_eq!(
            a.many(REQUIRED_ATTRIBUTES).unwrap(),
            ["email".to_string(), "name".to_string()]
        );
        asker.give(CAPABILITIES_ID, Some("addUserToGroup"));
        let err = walk(ADD_AUTH, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(err.to_string().contains("Lambda triggers"), "{err}");
        asker.give(CAPABILITIES_ID, Some("none"));
        let err = walk(ADD_AUTH, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Invalid value for --capabilities: 'none' is not one of"),
            "{err}"
        );
    }

    fn two_at_most(picked: &[String]) -> Result<(), String> {
        if picked.len() > 2 {
            Err("Pick two at most.".into())
        } else {
            Ok(())
        }
    }

    const CHECKED: &[Spec] = &[Spec {
        id: "pick",
        prefix: &[],
        message: "Pick some",
        kind: Kind::Many,
        choices: &[opt("A", "a"), opt("B", "b"), opt("C", "c")],
        default: &["a"],
        learn_more: None,
        when: always,
        validate: Some(two_at_most),
        refuse: &[],
        flag: "--pick LIST",
        headless_key: None,
    }];

    #[test]
    fn a_failed_check_asks_again_or_names_the_flag() {
        let mut p = ScriptedPrompter::new([
            (
                "Pick",
                Reply::PickMany(vec!["A".into(), "B".into(), "C".into()]),
            ),
            ("Pick", Reply::PickMany(vec!["C".into()])),
        ]);
        let mut asker = Asker::new(&mut p, false);
        let mut notices = Collected::default();
        let a = walk(CHECKED, &mut asker, &mut notices).unwrap();
        assert_eq!(a.many("pick").unwrap(), ["c".to_string()]);
        assert_eq!(notices.texts(), ["Pick two at most."]);
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        asker.give("pick", Some("a,b,c"));
        let err = walk(CHECKED, &mut asker, &mut notices).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid value for --pick: Pick two at most."
        );
    }

    #[test]
    fn a_flag_for_a_question_not_asked_is_an_error() {
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        asker.give(REQUIRED_ATTRIBUTES, Some("email"));
        let err = walk(ADD_AUTH, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(err.to_string().contains("--required-attributes"), "{err}");
    }

    #[test]
    fn social_and_manual_are_refused_naming_headless() {
        for v in ["social", "manual", "Manual configuration"] {
            let mut p = NoTerminal;
            let mut asker = Asker::new(&mut p, true);
            asker.give(DEFAULT_CONFIG, Some(v));
            let err = walk(ADD_AUTH, &mut asker, &mut Collected::default()).unwrap_err();
            assert!(err.to_string().contains("--headless"), "{err}");
        }
    }
}
