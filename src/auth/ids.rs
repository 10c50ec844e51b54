//! Identifier formats, checked before any AWS call so a typo gets a precise message.

use std::fmt;

use crate::error::Error;

macro_rules! id_type {
    ($name:ident, $what:literal, $example:literal, $check:expr) => {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, String> {
                let check: fn(&str) -> bool = $check;
                if check(s) {
                    Ok($name(s.to_string()))
                } else {
                    Err(format!(
                        "'{}' is not a valid {} (expected something like {})",
                        s, $what, $example
                    ))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

id_type!(UserPoolId, "user pool id", "us-east-1_AbCdEf123", |s| {
    match s.split_once('_') {
        Some((region, rest)) => {
            !region.is_empty()
                && region.chars().all(word)
                && !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_alphanumeric())
                && s.len() <= 55 + 20
        }
        None => false,
    }
});

id_type!(
    ClientId,
    "app client id",
    "1example23456789abcdefghij",
    |s| {
        (1..=128).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
    }
);

id_type!(
    IdentityPoolId,
    "identity pool id",
    "us-east-1:11111111-2222-3333-4444-555555555555",
    |s| {
        match s.split_once(':') {
            Some((region, rest)) => {
                !region.is_empty()
                    && region.chars().all(word)
                    && !rest.is_empty()
                    && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
                    && s.len() <= 55
            }
            None => false,
        }
    }
);

impl UserPoolId {
    /// The region part of the id (`us-east-1` of `us-east-1_AbC`).
    pub fn region(&self) -> &str {
        self.0.split_once('_').map(|(r, _)| r).unwrap_or_default()
    }
}

impl IdentityPoolId {
    pub fn region(&self) -> &str {
        self.0.split_once(':').map(|(r, _)| r).unwrap_or_default()
    }
}

/// Parses an id given by flag or JSON, naming where it came from on failure.
pub fn given<T>(
    parse: fn(&str) -> Result<T, String>,
    value: &str,
    source: &str,
) -> Result<T, Error> {
    parse(value).map_err(|e| {
        Error::refused(
            format!("{e} (from {source})."),
            format!("Correct {source} and run the command again."),
        )
    })
}

/// Ids given up front (flags, headless JSON, or later the env's records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GivenIds {
    pub user_pool: Option<UserPoolId>,
    pub web_client: Option<ClientId>,
    pub native_client: Option<ClientId>,
    pub identity_pool: Option<IdentityPoolId>,
}

impl GivenIds {
    /// The ids recorded in an env's parameters (team-provider-info.json); ids of
    /// the wrong format count as absent.
    pub fn from_params(params: Option<&serde_json::Map<String, serde_json::Value>>) -> GivenIds {
        let get = |k: &str| {
            params?
                .get(k)?
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        GivenIds {
            user_pool: get("userPoolId").and_then(|s| UserPoolId::parse(&s).ok()),
            web_client: get("webClientId").and_then(|s| ClientId::parse(&s).ok()),
            native_client: get("nativeClientId").and_then(|s| ClientId::parse(&s).ok()),
            identity_pool: get("identityPoolId").and_then(|s| IdentityPoolId::parse(&s).ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(UserPoolId::parse("us-east-1_AbC123").is_ok());
        assert!(
            UserPoolId::parse("us-east-1_32082fdab595e071697a5d414cd990a2c5514211fa3e9").is_ok()
        );
        assert_eq!(
            UserPoolId::parse("us-east-1_AbC123").unwrap().region(),
            "us-east-1"
        );
        for bad in [
            "",
            "us-east-1",
            "us-east-1_",
            "_abc",
            "us-east-1_ab-c",
            "us east_1",
        ] {
            assert!(UserPoolId::parse(bad).is_err(), "{bad}");
        }
        assert!(ClientId::parse("4c27ad13f078b7ad5e2bb8d9e9").is_ok());
        assert!(ClientId::parse("has space").is_err());
        assert!(ClientId::parse("").is_err());
        assert!(IdentityPoolId::parse("us-east-1:fc09d42c-9bdf-4f0b-ae1a-6deec2ee34d4").is_ok());
        assert!(IdentityPoolId::parse("us-east-1_fc09d42c").is_err());
        assert!(IdentityPoolId::parse("us-east-1:xyz").is_err());
        assert_eq!(
            UserPoolId::parse("nope").unwrap_err(),
            "'nope' is not a valid user pool id (expected something like us-east-1_AbCdEf123)"
        );
    }
}
