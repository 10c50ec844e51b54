//! The rules of typed answers, with the Amplify CLI's messages (its
//! `supported-services` validations; its regular expressions use lookarounds,
//! so they are written out here).

use std::sync::LazyLock;

use regex_lite::Regex;

const REQUIRED: &str = "A response is required for this field";

pub fn required(s: &str) -> Result<(), String> {
    if s.is_empty() {
        Err(REQUIRED.into())
    } else {
        Ok(())
    }
}

fn chars_1_128(s: &str, ok: impl Fn(char) -> bool, message: &str) -> Result<(), String> {
    if (1..=128).contains(&s.chars().count()) && s.chars().all(ok) {
        Ok(())
    } else {
        Err(message.into())
    }
}

pub fn resource_name(s: &str) -> Result<(), String> {
    chars_1_128(
        s,
        |c| c.is_ascii_alphanumeric(),
        "The resource name must be at least 1 character and no more than 128 and only contain alphanumeric characters.",
    )
}

pub fn identity_pool_name(s: &str) -> Result<(), String> {
    chars_1_128(
        s,
        |c| c.is_ascii_alphanumeric() || c == '_',
        "The identity pool name must be at least 1 character and no more than 128.",
    )
}

pub fn user_pool_name(s: &str) -> Result<(), String> {
    chars_1_128(
        s,
        |c| c.is_ascii_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c),
        "The user pool name must be at least 1 character and no more than 128 and only contain alphanumeric characters or the characters ',.@-'.",
    )
}

pub fn group_name(s: &str) -> Result<(), String> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err("Resource name should be alphanumeric".into())
    }
}

fn in_range(s: &str, min: u32, max: u32, message: &str) -> Result<(), String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(message.into()),
    }
}

pub fn password_length(s: &str) -> Result<(), String> {
    in_range(
        s,
        6,
        98,
        "The minimum password length must be a number and must be greater than 5 and less than 99.",
    )
}

pub fn refresh_token_days(s: &str) -> Result<(), String> {
    in_range(
        s,
        1,
        3650,
        "Token expiration should be between 1 to 3650 days.",
    )
}

fn has_code(s: &str, message: &str) -> Result<(), String> {
    if s.contains("{####}") {
        Ok(())
    } else {
        Err(message.into())
    }
}

pub fn sms_auth_message(s: &str) -> Result<(), String> {
    has_code(
        s,
        "Your SMS authentication message must include '{####}' representing the authentication code that the user will receive.",
    )
}

pub fn email_message(s: &str) -> Result<(), String> {
    has_code(
        s,
        "Your email verification message must include '{####}' representing the verification code that the user will receive.",
    )
}

pub fn sms_verification_message(s: &str) -> Result<(), String> {
    has_code(
        s,
        "Your SMS verification message must include '{####}' representing the verification code that the user will receive.",
    )
}

/// A hosted UI domain prefix: Cognito's rule (1-63 lowercase letters, digits
/// and hyphens, no hyphen first or last) without Amplify's reserved words.
pub fn domain_prefix(s: &str) -> Result<(), String> {
    let ok = (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !["aws", "amazon", "cognito"].iter().any(|w| s.contains(w));
    if ok {
        Ok(())
    } else {
        Err("The value must be a valid domain name format.  A valid format consists of lowercase alphanumeric characters or hyphens. Hyphens cannot be at the beginning or end of the string. The domain cannot use the reserved words 'aws', 'amazon', or 'cognito'.".into())
    }
}

/// A redirect URI as Amplify accepts it: `scheme://host.../` with a trailing
/// slash (HTTPS, or HTTP on localhost only), or a bare app scheme `myapp://`.
pub fn redirect_uri(s: &str) -> Result<(), String> {
    let path_char = |c: char| c.is_ascii_alphanumeric() || "-._~:?#@!$&'()*+,;=/".contains(c);
    let ok = match s.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.') =>
        {
            if rest.is_empty() {
                !s.starts_with("http")
            } else {
                rest.len() >= 2
                    && rest.ends_with('/')
                    && rest.chars().all(path_char)
                    && (!s.starts_with("http://") || rest.starts_with("localhost"))
            }
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err("The value must be a valid URI with a trailing forward slash. HTTPS must be used instead of HTTP unless you are using localhost.".into())
    }
}

static APPLE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(-+BEGIN PRIVATE KEY-+)(.+[^-])(-+END PRIVATE KEY-+)").expect("a valid pattern")
});
static APPLE_KEY_COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(-+BEGINPRIVATEKEY-+)(.+[^-])(-+ENDPRIVATEKEY-+)").expect("a valid pattern")
});

pub fn apple_private_key(s: &str) -> Result<(), String> {
    if APPLE_KEY.is_match(s) {
        Ok(())
    } else {
        Err("Private key provided is invalid. You must provide the entire key (including the -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- on a single line)".into())
    }
}

/// What Amplify keeps of a Sign in with Apple key: the key without spaces,
/// line breaks and the BEGIN/END lines.
pub fn extract_apple_private_key(key: &str) -> String {
    let compact: String = key.chars().filter(|c| !c.is_whitespace()).collect();
    APPLE_KEY_COMPACT
        .captures(&compact)
        .and_then(|c| c.get(2))
        .map_or(compact.clone(), |m| m.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_follow_amplifys_pattern() {
        for ok in [
            "https://example.com/",
            "http://localhost:3000/",
            "myapp://",
            "myapp://callback/",
        ] {
            assert_eq!(redirect_uri(ok), Ok(()), "{ok}");
        }
        for bad in [
            "https://example.com",
            "http://example.com/",
            "https://",
            "http://",
            "example.com/",
            "https://exa mple.com/",
            "",
        ] {
            assert!(redirect_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn domain_prefixes_follow_cognitos_rule() {
        assert_eq!(domain_prefix("myapp-1234"), Ok(()));
        for bad in [
            "-x",
            "x-",
            "My",
            "my_app",
            "awsapp",
            "myamazon",
            "",
            &"a".repeat(64),
        ] {
            assert!(domain_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn apple_keys_are_checked_and_extracted() {
        let key = "-----BEGIN PRIVATE KEY----- MIGT AgEA -----END PRIVATE KEY-----";
        assert_eq!(apple_private_key(key), Ok(()));
        assert!(apple_private_key("MIGTAgEA").is_err());
        assert_eq!(extract_apple_private_key(key), "MIGTAgEA");
    }

    #[test]
    fn numbers_are_whole_and_in_range() {
        assert_eq!(password_length("8"), Ok(()));
        assert!(password_length("5").is_err());
        assert!(password_length("8.5").is_err());
        assert_eq!(refresh_token_days("3650"), Ok(()));
        assert!(refresh_token_days("0").is_err());
    }
}
