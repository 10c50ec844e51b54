//! Cognito's vocabulary, one definition per word: the values AWS, Amplify's
//! files and authwiz's own share. Depends on nothing.

use serde::{Deserialize, Serialize};

/// `mfaConfiguration`: Cognito's MFA modes, as Amplify writes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum MfaMode {
    #[default]
    #[serde(rename = "OFF")]
    Off,
    #[serde(rename = "ON")]
    On,
    #[serde(rename = "OPTIONAL")]
    Optional,
}

impl MfaMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            MfaMode::Off => "OFF",
            MfaMode::On => "ON",
            MfaMode::Optional => "OPTIONAL",
        }
    }

    pub const ALL: [MfaMode; 3] = [MfaMode::Off, MfaMode::On, MfaMode::Optional];
    pub const NAMES: &'static [&'static str] = &["OFF", "ON", "OPTIONAL"];

    /// The mode named `s` (any case), as AWS and Amplify's files name it.
    pub fn parse(s: &str) -> Option<Self> {
        MfaMode::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    pub fn is_off(self) -> bool {
        self == MfaMode::Off
    }
}

impl<'de> Deserialize<'de> for MfaMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        MfaMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "{} is not an MFA mode: OFF, ON or OPTIONAL",
                    quoted(&s)
                ))
            })
    }
}

impl std::fmt::Display for MfaMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A password rule, under each of the names the files and AWS give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordRule {
    Lowercase,
    Uppercase,
    Numbers,
    Symbols,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 4] = [
        PasswordRule::Lowercase,
        PasswordRule::Uppercase,
        PasswordRule::Numbers,
        PasswordRule::Symbols,
    ];

    /// cli-inputs.json's `passwordPolicyCharacters` (`Requires Lowercase`).
    pub const fn amplify(self) -> &'static str {
        match self {
            PasswordRule::Lowercase => "Requires Lowercase",
            PasswordRule::Uppercase => "Requires Uppercase",
            PasswordRule::Numbers => "Requires Numbers",
            PasswordRule::Symbols => "Requires Symbols",
        }
    }

    /// authwiz's flag word (`--password-characters lowercase,...`).
    pub const fn word(self) -> &'static str {
        match self {
            PasswordRule::Lowercase => "lowercase",
            PasswordRule::Uppercase => "uppercase",
            PasswordRule::Numbers => "numbers",
            PasswordRule::Symbols => "symbols",
        }
    }

    /// The CloudFormation property's path, as override.json names it.
    pub const fn path(self) -> &'static str {
        match self {
            PasswordRule::Lowercase => "Policies.PasswordPolicy.RequireLowercase",
            PasswordRule::Uppercase => "Policies.PasswordPolicy.RequireUppercase",
            PasswordRule::Numbers => "Policies.PasswordPolicy.RequireNumbers",
            PasswordRule::Symbols => "Policies.PasswordPolicy.RequireSymbols",
        }
    }

    /// The client configuration's word (`REQUIRES_LOWERCASE`).
    pub const fn client(self) -> &'static str {
        match self {
            PasswordRule::Lowercase => "REQUIRES_LOWERCASE",
            PasswordRule::Uppercase => "REQUIRES_UPPERCASE",
            PasswordRule::Numbers => "REQUIRES_NUMBERS",
            PasswordRule::Symbols => "REQUIRES_SYMBOLS",
        }
    }

    /// Amplify's headless payload constraint (`REQUIRE_LOWERCASE`).
    pub const fn headless(self) -> &'static str {
        match self {
            PasswordRule::Lowercase => "REQUIRE_LOWERCASE",
            PasswordRule::Uppercase => "REQUIRE_UPPERCASE",
            PasswordRule::Numbers => "REQUIRE_DIGIT",
            PasswordRule::Symbols => "REQUIRE_SYMBOL",
        }
    }

    /// The field of the deployed pool's spec (`requireLowercase`), as drift names it.
    pub const fn field(self) -> &'static str {
        match self {
            PasswordRule::Lowercase => "requireLowercase",
            PasswordRule::Uppercase => "requireUppercase",
            PasswordRule::Numbers => "requireNumbers",
            PasswordRule::Symbols => "requireSymbols",
        }
    }

    /// The rule cli-inputs.json names `s`.
    pub fn from_amplify(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.amplify() == s)
    }

    pub fn from_word(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.word() == s)
    }
}

/// A standard attribute of a user pool: Cognito's name, the walkthrough's
/// label, and Gen 2's key (`defineAuth`'s `userAttributes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardAttribute {
    pub name: &'static str,
    pub label: &'static str,
    pub gen2: &'static str,
}

/// The standard attributes in Amplify's order (its `coreAttributes`).
pub const STANDARD_ATTRIBUTES: [StandardAttribute; 17] = [
    StandardAttribute {
        name: "address",
        label: "Address",
        gen2: "address",
    },
    StandardAttribute {
        name: "birthdate",
        label: "Birthdate",
        gen2: "birthdate",
    },
    StandardAttribute {
        name: "email",
        label: "Email",
        gen2: "email",
    },
    StandardAttribute {
        name: "family_name",
        label: "Family Name",
        gen2: "familyName",
    },
    StandardAttribute {
        name: "middle_name",
        label: "Middle Name",
        gen2: "middleName",
    },
    StandardAttribute {
        name: "gender",
        label: "Gender",
        gen2: "gender",
    },
    StandardAttribute {
        name: "locale",
        label: "Locale",
        gen2: "locale",
    },
    StandardAttribute {
        name: "given_name",
        label: "Given Name",
        gen2: "givenName",
    },
    StandardAttribute {
        name: "name",
        label: "Name",
        gen2: "fullname",
    },
    StandardAttribute {
        name: "nickname",
        label: "Nickname",
        gen2: "nickname",
    },
    StandardAttribute {
        name: "phone_number",
        label: "Phone Number",
        gen2: "phoneNumber",
    },
    StandardAttribute {
        name: "preferred_username",
        label: "Preferred Username",
        gen2: "preferredUsername",
    },
    StandardAttribute {
        name: "picture",
        label: "Picture",
        gen2: "profilePicture",
    },
    StandardAttribute {
        name: "profile",
        label: "Profile",
        gen2: "profilePage",
    },
    StandardAttribute {
        name: "updated_at",
        label: "Updated At",
        gen2: "lastUpdateTime",
    },
    StandardAttribute {
        name: "website",
        label: "Website",
        gen2: "website",
    },
    StandardAttribute {
        name: "zoneinfo",
        label: "Zone Info",
        gen2: "timezone",
    },
];

/// Whether `name` is a standard attribute (`sub` aside).
pub fn is_standard_attribute(name: &str) -> bool {
    STANDARD_ATTRIBUTES.iter().any(|a| a.name == name)
}

/// `mfaTypes`: Amplify's names of the MFA methods.
pub const MFA_SMS: &str = "SMS Text Message";
pub const MFA_TOTP: &str = "TOTP";

/// The `service` of an auth resource: a Cognito user pool (with its clients
/// and identity pool), and its user pool groups.
pub const COGNITO: &str = "Cognito";
pub const COGNITO_GROUPS: &str = "Cognito-UserPool-Groups";

/// Advanced security's modes (`UserPoolAddOns.AdvancedSecurityMode`).
pub const ADVANCED_SECURITY_MODES: &[&str] = &["OFF", "AUDIT", "ENFORCED"];

/// A value as an error message quotes it: whole when short, else its start
/// and its length (a file may hold a value of any size).
pub fn quoted(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        return format!("'{s}'");
    }
    let start: String = s.chars().take(MAX).collect();
    format!("'{start}…' ({} characters)", s.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_password_rule_is_found_by_each_of_its_names() {
        for r in PasswordRule::ALL {
            assert_eq!(PasswordRule::from_amplify(r.amplify()), Some(r));
            assert_eq!(PasswordRule::from_word(r.word()), Some(r));
            assert!(r.path().ends_with(&r.field()[1..]));
        }
        assert_eq!(PasswordRule::from_amplify("Requires Nothing"), None);
    }

    #[test]
    fn standard_attributes_have_one_entry_each() {
        let mut names: Vec<&str> = STANDARD_ATTRIBUTES.iter().map(|a| a.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), STANDARD_ATTRIBUTES.len());
        assert!(is_standard_attribute("zoneinfo") && !is_standard_attribute("sub"));
    }
}
