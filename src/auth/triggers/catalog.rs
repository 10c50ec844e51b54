//! What Cognito's Lambda triggers are and what authwiz can put in them: the
//! triggers (Amplify's keys and labels, AWS's `LambdaConfig` names), the
//! modules each can run (Amplify's module names, so that either CLI opens the
//! project), the values a module asks for, the IAM actions it needs, and the
//! walkthrough's capabilities (one or more modules each).

/// A Cognito Lambda trigger (serialized as Amplify's key).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Trigger {
    CreateAuthChallenge,
    CustomMessage,
    DefineAuthChallenge,
    PostAuthentication,
    PostConfirmation,
    PreAuthentication,
    PreSignup,
    PreTokenGeneration,
    UserMigration,
    VerifyAuthChallengeResponse,
}

impl Trigger {
    /// In the walkthrough's order (Amplify's, then User Migration).
    pub const ALL: [Trigger; 10] = [
        Trigger::CreateAuthChallenge,
        Trigger::CustomMessage,
        Trigger::DefineAuthChallenge,
        Trigger::PostAuthentication,
        Trigger::PostConfirmation,
        Trigger::PreSignup,
        Trigger::PreAuthentication,
        Trigger::PreTokenGeneration,
        Trigger::UserMigration,
        Trigger::VerifyAuthChallengeResponse,
    ];

    /// Amplify's key (cli-inputs.json `triggers`, function resource names).
    pub const fn amplify(self) -> &'static str {
        match self {
            Trigger::CreateAuthChallenge => "CreateAuthChallenge",
            Trigger::CustomMessage => "CustomMessage",
            Trigger::DefineAuthChallenge => "DefineAuthChallenge",
            Trigger::PostAuthentication => "PostAuthentication",
            Trigger::PostConfirmation => "PostConfirmation",
            Trigger::PreAuthentication => "PreAuthentication",
            Trigger::PreSignup => "PreSignup",
            Trigger::PreTokenGeneration => "PreTokenGeneration",
            Trigger::UserMigration => "UserMigration",
            Trigger::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
        }
    }

    /// The walkthrough's label.
    pub const fn label(self) -> &'static str {
        match self {
            Trigger::CreateAuthChallenge => "Create Auth Challenge",
            Trigger::CustomMessage => "Custom Message",
            Trigger::DefineAuthChallenge => "Define Auth Challenge",
            Trigger::PostAuthentication => "Post Authentication",
            Trigger::PostConfirmation => "Post Confirmation",
            Trigger::PreAuthentication => "Pre Authentication",
            Trigger::PreSignup => "Pre Sign-up",
            Trigger::PreTokenGeneration => "Pre Token Generation",
            Trigger::UserMigration => "User Migration",
            Trigger::VerifyAuthChallengeResponse => "Verify Auth Challenge Response",
        }
    }

    /// The flag's word (`pre-sign-up`).
    pub const fn word(self) -> &'static str {
        match self {
            Trigger::CreateAuthChallenge => "create-auth-challenge",
            Trigger::CustomMessage => "custom-message",
            Trigger::DefineAuthChallenge => "define-auth-challenge",
            Trigger::PostAuthentication => "post-authentication",
            Trigger::PostConfirmation => "post-confirmation",
            Trigger::PreAuthentication => "pre-authentication",
            Trigger::PreSignup => "pre-sign-up",
            Trigger::PreTokenGeneration => "pre-token-generation",
            Trigger::UserMigration => "user-migration",
            Trigger::VerifyAuthChallengeResponse => "verify-auth-challenge-response",
        }
    }

    pub fn from_amplify(key: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.amplify() == key)
    }

    pub fn from_word(word: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.word() == word)
    }

    /// The modules offered for it, in the walkthrough's order.
    pub fn modules(self) -> impl Iterator<Item = &'static Module> {
        MODULES.iter().filter(move |m| m.trigger == Some(self))
    }
}

/// A value a module is configured with: an environment variable of the
/// function, asked once when the module is chosen.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The function's environment variable (Amplify's env key).
    pub key: &'static str,
    /// The question's id (also its flag's name).
    pub id: &'static str,
}

/// Where a module's IAM actions apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The user pool the trigger belongs to.
    ThisPool,
    /// The pool users are migrated from (the module's `OLDUSERPOOLID`).
    OldPool,
}

/// What a module's function may do besides writing its logs.
#[derive(Clone, Copy, Debug)]
pub struct Permission {
    /// The inline policy's name (Amplify's).
    pub policy: &'static str,
    pub actions: &'static [&'static str],
    pub on: Scope,
}

/// One module a trigger's function can run.
#[derive(Debug)]
pub struct Module {
    pub name: &'static str,
    /// `None`: any trigger (the blank module).
    pub trigger: Option<Trigger>,
    pub label: &'static str,
    pub params: &'static [Param],
    pub permission: Option<Permission>,
    pub source: &'static str,
}

/// The blank module a user writes.
pub const CUSTOM: &str = "custom";

macro_rules! module_source {
    ($name:literal) => {
        include_str!(concat!("modules/", $name, ".js"))
    };
}

pub const MODULES: &[Module] = &[
    Module {
        name: "captcha-create-challenge",
        trigger: Some(Trigger::CreateAuthChallenge),
        label: "MFA w/ Captcha (Creation)",
        params: &[],
        permission: None,
        source: module_source!("captcha-create-challenge"),
    },
    Module {
        name: "boilerplate-create-challenge",
        trigger: Some(Trigger::CreateAuthChallenge),
        label: "Custom Auth Challenge Scaffolding (Creation)",
        params: &[],
        permission: None,
        source: module_source!("boilerplate-create-challenge"),
    },
    Module {
        name: "verification-link",
        trigger: Some(Trigger::CustomMessage),
        label: "Send Account Confirmation Link w/ Redirect",
        params: &[
            Param {
                key: "REDIRECTURL",
                id: "redirect-url",
            },
            Param {
                key: "EMAILSUBJECT",
                id: "verification-link-subject",
            },
            Param {
                key: "EMAILMESSAGE",
                id: "verification-link-message",
            },
        ],
        permission: None,
        source: module_source!("verification-link"),
    },
    Module {
        name: "captcha-define-challenge",
        trigger: Some(Trigger::DefineAuthChallenge),
        label: "MFA w/ Captcha (Definition)",
        params: &[],
        permission: None,
        source: module_source!("captcha-define-challenge"),
    },
    Module {
        name: "boilerplate-define-challenge",
        trigger: Some(Trigger::DefineAuthChallenge),
        label: "Custom Auth Challenge Scaffolding (Definition)",
        params: &[],
        permission: None,
        source: module_source!("boilerplate-define-challenge"),
    },
    Module {
        name: "add-to-group",
        trigger: Some(Trigger::PostConfirmation),
        label: "Add User To Group",
        params: &[Param {
            key: "GROUP",
            id: "add-to-group",
        }],
        permission: Some(Permission {
            policy: "AddToGroupCognito",
            actions: &[
                "cognito-idp:AdminAddUserToGroup",
                "cognito-idp:GetGroup",
                "cognito-idp:CreateGroup",
            ],
            on: Scope::ThisPool,
        }),
        source: module_source!("add-to-group"),
    },
    Module {
        name: "email-filter-allowlist",
        trigger: Some(Trigger::PreSignup),
        label: "Sign-Up email filtering (allowlist)",
        params: &[Param {
            key: "DOMAINALLOWLIST",
            id: "allowlist-domains",
        }],
        permission: None,
        source: module_source!("email-filter-allowlist"),
    },
    Module {
        name: "email-filter-denylist",
        trigger: Some(Trigger::PreSignup),
        label: "Sign-Up email filtering (denylist)",
        params: &[Param {
            key: "DOMAINDENYLIST",
            id: "denylist-domains",
        }],
        permission: None,
        source: module_source!("email-filter-denylist"),
    },
    Module {
        name: "alter-claims",
        trigger: Some(Trigger::PreTokenGeneration),
        label: "Override ID Token Claims",
        params: &[
            Param {
                key: "CLAIMSTOADD",
                id: "add-claims",
            },
            Param {
                key: "CLAIMSTOSUPPRESS",
                id: "suppress-claims",
            },
        ],
        permission: None,
        source: module_source!("alter-claims"),
    },
    Module {
        name: "user-migration",
        trigger: Some(Trigger::UserMigration),
        label: "Migrate users from another user pool on sign-in",
        params: &[
            Param {
                key: "OLDUSERPOOLID",
                id: "migrate-from-user-pool",
            },
            Param {
                key: "OLDCLIENTID",
                id: "migrate-from-client",
            },
        ],
        permission: Some(Permission {
            policy: "MigrateUsersCognito",
            actions: &["cognito-idp:AdminInitiateAuth", "cognito-idp:AdminGetUser"],
            on: Scope::OldPool,
        }),
        source: module_source!("user-migration"),
    },
    Module {
        name: "captcha-verify",
        trigger: Some(Trigger::VerifyAuthChallengeResponse),
        label: "MFA w/ Captcha (Verification)",
        params: &[Param {
            key: "RECAPTCHASECRET",
            id: "recaptcha-secret",
        }],
        permission: None,
        source: module_source!("captcha-verify"),
    },
    Module {
        name: "boilerplate-verify",
        trigger: Some(Trigger::VerifyAuthChallengeResponse),
        label: "Custom Auth Challenge Scaffolding (Verification)",
        params: &[],
        permission: None,
        source: module_source!("boilerplate-verify"),
    },
    Module {
        name: CUSTOM,
        trigger: None,
        label: "Create your own module",
        params: &[],
        permission: None,
        source: module_source!("custom"),
    },
];

/// The runner every function's `index.js` is: it runs the modules `MODULES` names.
pub const RUNNER: &str = module_source!("index");

pub fn module(name: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.name == name)
}

/// Whether `name` is a module `trigger` can run.
pub fn offered(trigger: Trigger, name: &str) -> bool {
    module(name).is_some_and(|m| m.trigger.is_none_or(|t| t == trigger))
}

/// A sample event of the trigger (the function's `src/event.json`).
pub fn sample_event(trigger: Trigger) -> &'static str {
    macro_rules! event {
        ($name:literal) => {
            include_str!(concat!("events/", $name, ".json"))
        };
    }
    match trigger {
        Trigger::CreateAuthChallenge => event!("CreateAuthChallenge"),
        Trigger::CustomMessage => event!("CustomMessage"),
        Trigger::DefineAuthChallenge => event!("DefineAuthChallenge"),
        Trigger::PostAuthentication => event!("PostAuthentication"),
        Trigger::PostConfirmation => event!("PostConfirmation"),
        Trigger::PreAuthentication => event!("PreAuthentication"),
        Trigger::PreSignup => event!("PreSignup"),
        Trigger::PreTokenGeneration => event!("PreTokenGeneration"),
        Trigger::UserMigration => event!("UserMigration"),
        Trigger::VerifyAuthChallengeResponse => event!("VerifyAuthChallengeResponse"),
    }
}

/// One of the walkthrough's capabilities: modules on one or more triggers.
#[derive(Debug)]
pub struct Capability {
    /// The flag's word.
    pub word: &'static str,
    pub label: &'static str,
    pub modules: &'static [(Trigger, &'static str)],
}

/// "Do you want to enable any of the following capabilities?", in Amplify's order.
pub const CAPABILITIES: &[Capability] = &[
    Capability {
        word: "recaptcha",
        label: "Add Google reCaptcha Challenge",
        modules: &[
            (Trigger::DefineAuthChallenge, "captcha-define-challenge"),
            (Trigger::CreateAuthChallenge, "captcha-create-challenge"),
            (Trigger::VerifyAuthChallengeResponse, "captcha-verify"),
        ],
    },
    Capability {
        word: "email-verification-link",
        label: "Email Verification Link with Redirect",
        modules: &[(Trigger::CustomMessage, "verification-link")],
    },
    Capability {
        word: "add-user-to-group",
        label: "Add User to Group",
        modules: &[(Trigger::PostConfirmation, "add-to-group")],
    },
    Capability {
        word: "email-denylist",
        label: "Email Domain Filtering (denylist)",
        modules: &[(Trigger::PreSignup, "email-filter-denylist")],
    },
    Capability {
        word: "email-allowlist",
        label: "Email Domain Filtering (allowlist)",
        modules: &[(Trigger::PreSignup, "email-filter-allowlist")],
    },
    Capability {
        word: "custom-auth-challenge",
        label: "Custom Auth Challenge Flow (basic scaffolding - not for production)",
        modules: &[
            (Trigger::DefineAuthChallenge, "boilerplate-define-challenge"),
            (Trigger::CreateAuthChallenge, "boilerplate-create-challenge"),
            (Trigger::VerifyAuthChallengeResponse, "boilerplate-verify"),
        ],
    },
    Capability {
        word: "override-id-token-claims",
        label: "Override ID Token Claims",
        modules: &[(Trigger::PreTokenGeneration, "alter-claims")],
    },
];

pub fn capability(word: &str) -> Option<&'static Capability> {
    CAPABILITIES.iter().find(|c| c.word == word)
}

/// The capabilities a selection of modules amounts to (those whose every
/// module is selected): what `update auth` shows as already chosen.
pub fn capabilities_of(has: impl Fn(Trigger, &str) -> bool) -> Vec<&'static str> {
    CAPABILITIES
        .iter()
        .filter(|c| c.modules.iter().all(|(t, m)| has(*t, m)))
        .map(|c| c.word)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_of_a_capability_is_offered_by_its_trigger() {
        for c in CAPABILITIES {
            for (t, m) in c.modules {
                assert!(offered(*t, m), "{}: {m}", c.word);
            }
        }
    }

    #[test]
    fn words_and_keys_round_trip() {
        for t in Trigger::ALL {
            assert_eq!(Trigger::from_word(t.word()), Some(t));
            assert_eq!(Trigger::from_amplify(t.amplify()), Some(t));
        }
    }

    #[test]
    fn a_param_id_names_one_value() {
        let mut ids: Vec<&str> = MODULES
            .iter()
            .flat_map(|m| m.params.iter().map(|p| p.id))
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
