//! Trust-policy checks of an identity pool's roles: read, never changed.

use serde_json::Value;

const FEDERATED: &str = "cognito-identity.amazonaws.com";
const AUD: &str = "cognito-identity.amazonaws.com:aud";
const AMR: &str = "cognito-identity.amazonaws.com:amr";

/// What is wrong with a role's trust policy for this identity pool, as warnings
/// that end with the exact fix. Empty when the role trusts the pool correctly.
pub fn check(role_name: &str, policy: &Value, identity_pool_id: &str, amr: &str) -> Vec<String> {
    let statements: Vec<&Value> = match policy.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let fix = format!(
        "Fix: edit the trust relationship of IAM role '{role_name}' so it allows sts:AssumeRoleWithWebIdentity for Federated principal {FEDERATED} with \"StringEquals\": {{\"{AUD}\": \"{identity_pool_id}\"}} and \"ForAnyValue:StringLike\": {{\"{AMR}\": \"{amr}\"}}. authwiz never changes trust policies."
    );
    let web_identity: Vec<&Value> = statements
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter(|s| contains(s.pointer("/Principal/Federated"), FEDERATED))
        .filter(|s| contains(s.get("Action"), "sts:AssumeRoleWithWebIdentity"))
        .collect();
    if web_identity.is_empty() {
        return vec![format!(
            "IAM role '{role_name}' does not trust Cognito identity pools (no statement allows sts:AssumeRoleWithWebIdentity for {FEDERATED}). {fix}"
        )];
    }
    let mut problems = Vec::new();
    let aud_ok = web_identity
        .iter()
        .any(|s| contains(condition(s, "StringEquals", AUD), identity_pool_id));
    if !aud_ok {
        let found: Vec<String> = web_identity
            .iter()
            .filter_map(|s| condition(s, "StringEquals", AUD))
            .map(|v| v.to_string())
            .collect();
        problems.push(format!(
            "IAM role '{role_name}' trust policy does not name identity pool {identity_pool_id} in {AUD} (found: {}). {fix}",
            if found.is_empty() { "none".to_string() } else { found.join(", ") }
        ));
    }
    let amr_ok = web_identity.iter().any(|s| {
        contains(condition(s, "ForAnyValue:StringLike", AMR), amr)
            || contains(condition(s, "ForAnyValue:StringEquals", AMR), amr)
    });
    if !amr_ok {
        problems.push(format!(
            "IAM role '{role_name}' trust policy lacks the {AMR} = \"{amr}\" condition, so it does not limit the role to {amr} identities. {fix}"
        ));
    }
    problems
}

fn condition<'a>(statement: &'a Value, operator: &str, key: &str) -> Option<&'a Value> {
    statement.get("Condition")?.get(operator)?.get(key)
}

/// A policy value that is a string or an array of strings contains `wanted`.
fn contains(value: Option<&Value>, wanted: &str) -> bool {
    match value {
        Some(Value::String(s)) => s == wanted,
        Some(Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(wanted)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(aud: Value, amr: Option<&str>) -> Value {
        let mut cond = json!({"StringEquals": {AUD: aud}});
        if let Some(a) = amr {
            cond["ForAnyValue:StringLike"] = json!({AMR: a});
        }
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": FEDERATED}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": cond}]})
    }

    #[test]
    fn correct_trust_has_no_problems() {
        assert!(
            check(
                "r",
                &policy(json!("pool-1"), Some("authenticated")),
                "pool-1",
                "authenticated"
            )
            .is_empty()
        );
        assert!(
            check(
                "r",
                &policy(json!(["x", "pool-1"]), Some("authenticated")),
                "pool-1",
                "authenticated"
            )
            .is_empty()
        );
    }

    #[test]
    fn wrong_aud_and_missing_amr_are_reported_with_the_fix() {
        let p = check(
            "corp-auth",
            &policy(json!("other"), None),
            "pool-1",
            "authenticated",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].contains("does not name identity pool pool-1")
                && p[0].contains("found: \"other\"")
        );
        assert!(p[1].contains("lacks the cognito-identity.amazonaws.com:amr = \"authenticated\""));
        assert!(p.iter().all(|m| {
            m.contains("\"StringEquals\": {\"cognito-identity.amazonaws.com:aud\": \"pool-1\"}")
        }));
        let wrong_amr = check(
            "r",
            &policy(json!("pool-1"), Some("unauthenticated")),
            "pool-1",
            "authenticated",
        );
        assert_eq!(wrong_amr.len(), 1);
    }

    #[test]
    fn a_role_not_for_web_identity_is_reported() {
        let p = check(
            "r",
            &json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            "p",
            "authenticated",
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("does not trust Cognito identity pools"));
    }
}
