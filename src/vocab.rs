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
