//! The schemas of `crate::schemas` checked against what the auth domain
//! knows: every override path with its words, every trigger's modules.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::auth::managed::overrides::{self, PATHS, Ty};
use crate::auth::triggers::{CUSTOM, Trigger};
use crate::schemas::get;

fn json(name: &str) -> Value {
    serde_json::from_str(get(name).unwrap().text).unwrap()
}

/// The words a path takes in the schema: `enum` of the value or of its items.
fn words(spec: &Value) -> Option<BTreeSet<String>> {
    let list = spec
        .get("enum")
        .or_else(|| spec.get("items").and_then(|i| i.get("enum")))?;
    Some(
        list.as_array()?
            .iter()
            .filter_map(|w| w.as_str().map(str::to_string))
            .collect(),
    )
}

#[test]
fn the_override_schema_names_every_path_the_check_knows_with_its_words() {
    let schema = json("override");
    let top: BTreeSet<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: BTreeSet<&str> = overrides::RESOURCES.into_iter().collect();
    expected.insert(overrides::SCHEMA_KEY);
    assert_eq!(top, expected);
    for resource in overrides::RESOURCES {
        let props = schema["properties"][resource]["properties"]
            .as_object()
            .unwrap();
        let paths: BTreeSet<&str> = PATHS
            .iter()
            .filter(|p| p.resources.contains(&resource))
            .map(|p| p.path)
            .collect();
        assert_eq!(
            props.keys().map(String::as_str).collect::<BTreeSet<_>>(),
            paths,
            "{resource}"
        );
        for p in PATHS.iter().filter(|p| p.resources.contains(&resource)) {
            let spec = &props[p.path];
            let allowed = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
            match p.ty {
                Ty::Int(lo, hi) => {
                    assert_eq!(spec["type"], "integer", "{}", p.path);
                    assert_eq!(
                        (spec["minimum"].as_i64(), spec["maximum"].as_i64()),
                        (Some(lo), Some(hi)),
                        "{}",
                        p.path
                    );
                }
                Ty::Bool => assert_eq!(spec["type"], "boolean", "{}", p.path),
                Ty::Text => assert_eq!(spec["pattern"], "\\S", "{}", p.path),
                Ty::One(w) => assert_eq!(words(spec), Some(allowed(w)), "{}", p.path),
                Ty::Many(w) => {
                    assert_eq!(spec["type"], "array", "{}", p.path);
                    assert_eq!(words(spec), Some(allowed(w)), "{}", p.path)
                }
                Ty::Recovery => assert_eq!(spec["maxItems"], 2, "{}", p.path),
            }
        }
    }
}

#[test]
fn the_trigger_schemas_offer_each_trigger_its_modules() {
    for name in ["add-auth", "update-auth"] {
        let triggers = &json(name)["$defs"]["triggers"]["properties"];
        let modules = triggers["modules"]["properties"].as_object().unwrap();
        assert_eq!(modules.len(), Trigger::ALL.len(), "{name}");
        for t in Trigger::ALL {
            let offered: BTreeSet<String> = t
                .modules()
                .map(|m| m.name.to_string())
                .chain([CUSTOM.to_string()])
                .collect();
            assert_eq!(
                words(&modules[t.amplify()]),
                Some(offered),
                "{name}: {}",
                t.amplify()
            );
            assert!(triggers["functions"]["properties"][t.amplify()].is_object());
        }
    }
}
