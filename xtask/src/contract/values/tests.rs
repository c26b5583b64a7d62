use super::*;

fn synth(doc: &Value) -> Synth<'_> {
    Synth::new(doc, 7, "test", true)
}

#[test]
fn same_seed_same_values() {
    let doc = json!({"components": {"schemas": {"A": {"type": "object",
        "properties": {"id": {"type": "string", "format": "uuid"}, "n": {"type": "integer"}}}}}});
    let schema = json!({"$ref": "#/components/schemas/A"});
    let a = synth(&doc).value(&schema, Fill::All, 0);
    let b = synth(&doc).value(&schema, Fill::All, 0);
    assert_eq!(a, b);
    assert!(a["id"].as_str().is_some_and(|s| s.len() == 36));
    let other = Synth::new(&doc, 8, "test", true).value(&schema, Fill::All, 0);
    assert_ne!(a, other);
}

#[test]
fn bounds_lengths_and_patterns_hold() {
    let doc = json!({});
    let mut s = synth(&doc);
    for _ in 0..50 {
        let i = s.value(
            &json!({"type": "integer", "minimum": 3, "maximum": 5}),
            Fill::All,
            0,
        );
        assert!((3..=5).contains(&i.as_i64().unwrap_or(0)), "{i}");
        let x = s.value(
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 1}),
            Fill::All,
            0,
        );
        assert_eq!(x, json!(1));
        let t = s.value(
            &json!({"type": "string", "minLength": 12, "maxLength": 12}),
            Fill::All,
            0,
        );
        assert_eq!(t.as_str().map(str::len), Some(12));
        let p = s.value(
            &json!({"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"}),
            Fill::All,
            0,
        );
        let p = p.as_str().unwrap_or_default().to_owned();
        assert!(p.len() == 6 && p.as_bytes()[3] == b'-', "{p}");
    }
}

#[test]
fn required_only_leaves_optional_out_and_min_items_holds() {
    let doc = json!({});
    let schema = json!({"type": "object", "required": ["a"],
        "properties": {"a": {"type": "array", "minItems": 3, "items": {"type": "boolean"}},
                       "b": {"type": "string"}}});
    let v = synth(&doc).value(&schema, Fill::Required, 0);
    assert_eq!(v["a"].as_array().map(Vec::len), Some(3));
    assert!(v.get("b").is_none());
    assert!(synth(&doc).value(&schema, Fill::All, 0).get("b").is_some());
    let bare = json!({"type": "object", "required": ["required"], "properties": {"x": {"type": "string"}}});
    assert!(
        synth(&doc)
            .value(&bare, Fill::Required, 0)
            .get("required")
            .is_some()
    );
}

#[test]
fn a_branch_carries_its_discriminator_value() {
    let doc = json!({"components": {"schemas": {
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}}}}});
    let schema = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog"}}});
    for seed in 0..10 {
        let v = Synth::new(&doc, seed, "d", true).value(&schema, Fill::Required, 0);
        assert!(
            v["kind"] == json!("Cat") || v["kind"] == json!("dog"),
            "{v}"
        );
    }
}

#[test]
fn what_stands_beside_a_one_of_holds_for_its_members() {
    let doc = json!({});
    let schema = json!({"type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"}, "status": {"type": "string"}},
        "oneOf": [{"properties": {"status": {"enum": ["completed"]}}, "required": ["status"]},
            {"properties": {"status": {"enum": ["queued"]}}}]});
    for seed in 0..8 {
        let v = Synth::new(&doc, seed, "b", true).value(&schema, Fill::Required, 0);
        assert!(v["name"].is_string(), "{v}");
        assert!(v.get("status").is_none_or(|s| s == "completed"), "{v}");
    }
}

#[test]
fn patterns_generate_matching_strings() {
    let doc = json!({});
    let mut s = synth(&doc);
    for _ in 0..20 {
        let v = s.value(
            &json!({"type": "string", "pattern": r"^\d+\.\d+\.\d+$"}),
            Fill::All,
            0,
        );
        let v = v.as_str().unwrap_or_default().to_owned();
        assert!(v.chars().all(|c| c.is_ascii_digit() || c == '.'), "{v}");
    }
}

#[test]
fn all_of_parts_are_one_object() {
    // Asana's and Box's shape: a part (or the schema beside `allOf`)
    // requires names whose types another part defines.
    let doc = json!({"components": {"schemas": {"Base": {"type": "object", "properties": {
        "role": {"type": "string", "enum": ["guest", "member"]},
        "day": {"type": "string", "format": "date"}}}}}});
    // Asana's createAllocation: the outer schema says nothing itself.
    let outer = json!({"allOf": [
        {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"name": {"type": "string"}}}]},
        {"type": "object", "required": ["day", "name"]}]});
    for seed in 0..4 {
        let v = Synth::new(&doc, seed, "a", true).value(&outer, Fill::Required, 0);
        assert_eq!(v["day"].as_str().map(str::len), Some(10), "{v}");
        assert!(v["name"].is_string(), "{v}");
    }
    let schema = json!({"type": "object", "required": ["day"], "allOf": [
        {"$ref": "#/components/schemas/Base"},
        {"type": "object", "required": ["role"], "properties": {"name": {"type": "string"}}}]});
    for seed in 0..10 {
        let v = Synth::new(&doc, seed, "a", true).value(&schema, Fill::Required, 0);
        assert!(
            v["role"] == json!("guest") || v["role"] == json!("member"),
            "{v}"
        );
        assert_eq!(v["day"].as_str().map(str::len), Some(10), "{v}");
        assert!(v.get("name").is_none(), "{v}");
    }
    // A property two parts define takes both (Plaid's `balances`).
    let doc = json!({"components": {"schemas": {
        "Plain": {"type": "object", "properties": {"a": {"type": "integer"}}},
        "More": {"type": "object", "required": ["b"], "properties": {"b": {"type": "boolean"}}}}}});
    let twice = json!({"allOf": [
        {"type": "object", "required": ["x"], "properties": {"x": {"$ref": "#/components/schemas/Plain"}}},
        {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/More"}}}]});
    let v = synth(&doc).value(&twice, Fill::Required, 0);
    assert!(v["x"]["b"].is_boolean(), "{v}");
    // A part that is not an object schema gives the value.
    let wrapped = json!({"allOf": [{"type": "string", "enum": ["x"]}], "description": "d"});
    assert_eq!(synth(&doc).value(&wrapped, Fill::All, 0), json!("x"));
}

#[test]
fn overlapping_one_of_members_are_drawn_again() {
    let doc = json!({"components": {"schemas": {
        "V": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        "T": {"type": "object", "oneOf": [
            {"type": "object", "properties": {"kind": {"type": "string", "enum": ["a"]}}},
            {"type": "object", "additionalProperties": false, "properties": {"id": {"type": "string"}}}]},
        "Body": {"type": "object", "required": ["sources"], "properties": {"sources": {"type": "array", "minItems": 1,
            "items": {"$ref": "#/components/schemas/T"},
            "example": [{"kind": "a"}]}}}}}});
    let mut validators = Validators::new(&doc);
    for seed in 0..8 {
        let mut s = Synth::new(&doc, seed, "o", true);
        let v = json!({"$ref": "#/components/schemas/V"});
        let value = s.spec_or_synth(&v, &[], Fill::All, &mut validators);
        assert!(value.is_f64(), "{value}");
        // Deep in the body only required fields are set: `{}` matches
        // both members, the example at `sources` does not.
        let body = json!({"$ref": "#/components/schemas/Body"});
        let value = s.spec_or_synth(&body, &[], Fill::Required, &mut validators);
        assert!(validators.accepts(&body, &value), "{value}");
    }
}

#[test]
fn self_containing_schemas_end() {
    let doc = json!({"components": {"schemas": {"Node": {"type": "object", "required": ["next"],
        "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
    let v = synth(&doc).value(&json!({"$ref": "#/components/schemas/Node"}), Fill::All, 0);
    assert!(v.is_object());
}

#[test]
fn an_enum_part_of_an_all_of_decides_the_value() {
    // Plaid's deprecated `scope`: the enum, then a plain nullable string.
    let doc = json!({"components": {"schemas": {"Scope": {"type": "string", "enum": ["ME_TO_ME", "EXTERNAL"]}}}});
    let schema = json!({"allOf": [
        {"$ref": "#/components/schemas/Scope"},
        {"type": "string", "nullable": true}
    ]});
    let mut s = synth(&doc);
    for _ in 0..20 {
        let v = s.value(&schema, Fill::All, 0);
        assert!(v == json!("ME_TO_ME") || v == json!("EXTERNAL"), "{v}");
    }
}

#[test]
fn an_enum_of_only_null_is_null() {
    let doc = json!({"components": {"schemas": {"Nothing": {"nullable": true, "enum": [null]}}}});
    let schema = json!({"$ref": "#/components/schemas/Nothing"});
    assert_eq!(synth(&doc).value(&schema, Fill::All, 0), Value::Null);
    assert_eq!(
        synth(&doc).value(&json!({"enum": [null, "a"]}), Fill::All, 0),
        json!("a")
    );
}

#[test]
fn an_implied_discriminator_tag_yields_to_the_members_own_values() {
    let doc = json!({"components": {"schemas": {
        "Text": {"type": "object", "required": ["type"],
            "properties": {"type": {"type": "string", "enum": ["text"]}}},
        "Named": {"type": "object", "required": ["type"],
            "properties": {"type": {"type": "string"}}},
    }}});
    let schema = json!({"discriminator": {"propertyName": "type"}, "anyOf": [
        {"$ref": "#/components/schemas/Text"}]});
    assert_eq!(synth(&doc).value(&schema, Fill::All, 0)["type"], "text");
    let named = json!({"discriminator": {"propertyName": "type"}, "anyOf": [
        {"$ref": "#/components/schemas/Named"}]});
    assert_eq!(synth(&doc).value(&named, Fill::All, 0)["type"], "Named");
    let mapped = json!({"discriminator": {"propertyName": "type",
        "mapping": {"t": "#/components/schemas/Text"}}, "anyOf": [
        {"$ref": "#/components/schemas/Text"}]});
    assert_eq!(synth(&doc).value(&mapped, Fill::All, 0)["type"], "t");
}

/// growthbook's quantile: a fractional `multipleOf` whose bounds hold no
/// integer (it was synthesized as 1, above its `maximum`).
#[test]
fn fractional_steps_stay_within_their_bounds() {
    let doc = json!({"components": {"schemas": {"Q": {"type": "number",
        "minimum": 0.001, "maximum": 0.999, "multipleOf": 0.001}}}});
    let schema = json!({"$ref": "#/components/schemas/Q"});
    let mut validators = Validators::new(&doc);
    let mut s = synth(&doc);
    for _ in 0..50 {
        let q = s.value(&schema, Fill::All, 0);
        assert!(validators.accepts(&schema, &q), "{q}");
    }
    let exclusive = json!({"type": "number", "minimum": 0.5, "exclusiveMinimum": true,
        "maximum": 1, "exclusiveMaximum": true, "multipleOf": 0.25});
    assert_eq!(s.value(&exclusive, Fill::All, 0), json!(0.75));
    let whole = s.value(
        &json!({"type": "number", "minimum": 10, "maximum": 20, "multipleOf": 5}),
        Fill::All,
        0,
    );
    assert!(
        [json!(10), json!(15), json!(20)].contains(&whole),
        "{whole}"
    );
}

/// getstream's `SharedLocation` where it is optional: no value of it can
/// be sent, so a request leaves it out; items no value satisfies make an
/// array as short as allowed.
#[test]
fn parts_no_value_satisfies_are_left_out_where_they_may_be() {
    let doc = json!({"components": {"schemas": {
        "Location": {"type": "object", "required": ["latitude"], "properties": {
            "latitude": {"type": "number", "minimum": 18446744073709552000.0_f64, "maximum": 90}}},
        "Message": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string"},
            "location": {"$ref": "#/components/schemas/Location"},
            "locations": {"type": "array", "items": {"$ref": "#/components/schemas/Location"}}}}}}});
    let schema = json!({"$ref": "#/components/schemas/Message"});
    let mut validators = Validators::new(&doc);
    let v = synth(&doc).spec_or_synth(&schema, &[], Fill::All, &mut validators);
    assert!(validators.accepts(&schema, &v), "{v}");
    assert!(v.get("location").is_none(), "{v}");
    assert_eq!(v["locations"], json!([]));
}

/// intercom's `create_conversation_attribute_boolean_request`: the base's
/// `data_type` lists every type, the request's own part only `boolean`.
#[test]
fn all_of_parts_that_list_values_agree_on_one() {
    let doc = json!({"components": {"schemas": {
        "Base": {"type": "object", "properties": {"data_type": {"type": "string",
            "enum": ["string", "integer", "datetime", "boolean"]}}},
        "Boolean": {"allOf": [{"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"data_type": {"type": "string", "enum": ["boolean"]}}}]}}}});
    let schema = json!({"$ref": "#/components/schemas/Boolean"});
    let mut s = synth(&doc);
    for _ in 0..20 {
        assert_eq!(
            s.value(&schema, Fill::All, 0)["data_type"],
            json!("boolean")
        );
    }
}

/// A `oneOf` of two objects of the same optional properties takes no
/// object (every object matches both), so the optional array that holds
/// them is sent empty; a required one still fails. (bigcommerce's
/// `conditionsRequest`, whose members declare different properties, is set
/// apart since: see the test after the next.)
#[test]
fn optional_parts_the_validator_rejects_are_left_out() {
    let doc = json!({"components": {"schemas": {
        "Modifier": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Variant": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Conditions": {"type": "array", "items": {"oneOf": [
            {"$ref": "#/components/schemas/Modifier"}, {"$ref": "#/components/schemas/Variant"}]}},
        "Rule": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "conditions": {"$ref": "#/components/schemas/Conditions"}}},
        "Strict": {"type": "object", "required": ["conditions"], "properties": {
            "conditions": {"$ref": "#/components/schemas/Conditions", "minItems": 1}}}}}});
    let mut validators = Validators::new(&doc);
    let rule = json!({"$ref": "#/components/schemas/Rule"});
    let v = synth(&doc).spec_or_synth(&rule, &[], Fill::All, &mut validators);
    assert!(validators.accepts(&rule, &v), "{v}");
    assert!(v.get("name").is_some(), "{v}");
    let strict = json!({"$ref": "#/components/schemas/Strict"});
    let v = synth(&doc).spec_or_synth(&strict, &[], Fill::All, &mut validators);
    assert!(!validators.accepts(&strict, &v), "{v}");
}

/// lago's `EventCreated`: the event's `lago_customer_id` (a nullable UUID)
/// beside a part that says no type (3.1's `type: 'null'`, lowered to any
/// value): the UUID holds for both.
#[test]
fn an_all_of_part_without_a_type_yields_to_one_with_a_type() {
    let doc = json!({});
    let schema = json!({"allOf": [
        {"type": "string", "format": "uuid", "nullable": true},
        {"nullable": true, "description": "always null in this response"}
    ]});
    let mut validators = Validators::new(&doc);
    let mut s = synth(&doc);
    for _ in 0..10 {
        let v = s.value(&schema, Fill::All, 0);
        assert!(validators.accepts(&schema, &v), "{v}");
    }
}

/// datadog's `TopologyMapWidgetDefinition`: two closed members with the
/// same fields, told apart only by `requests[].query.data_source`, an
/// optional part four levels down. Drawn again with optional parts filled
/// deeper, a value matches exactly one member.
#[test]
fn members_that_differ_deep_down_are_told_apart_by_a_deeper_draw() {
    let query = |source: &str| {
        json!({"type": "object", "additionalProperties": false,
            "required": ["data_source", "filters"], "properties": {
            "data_source": {"type": "string", "enum": [source]},
            "filters": {"type": "array", "minItems": 1, "items": {"type": "string"}}}})
    };
    let definition = |request: &str| {
        json!({"type": "object", "additionalProperties": false,
            "required": ["type", "requests"], "properties": {
            "type": {"type": "string", "enum": ["topology_map"]},
            "title": {"type": "string"},
            "requests": {"type": "array", "minItems": 1,
                "items": {"$ref": format!("#/components/schemas/{request}")}}}})
    };
    let doc = json!({"components": {"schemas": {
        "StreamsQuery": query("data_streams"),
        "MapQuery": query("service_map"),
        "StreamsRequest": {"type": "object", "properties": {
            "request_type": {"type": "string", "enum": ["topology"]},
            "query": {"$ref": "#/components/schemas/StreamsQuery"}}},
        "MapRequest": {"type": "object", "properties": {
            "request_type": {"type": "string", "enum": ["topology"]},
            "query": {"$ref": "#/components/schemas/MapQuery"}}},
        "Streams": definition("StreamsRequest"),
        "Map": definition("MapRequest"),
        "Topology": {"oneOf": [{"$ref": "#/components/schemas/Streams"},
            {"$ref": "#/components/schemas/Map"}]}}}});
    let schema = json!({"$ref": "#/components/schemas/Topology"});
    let mut validators = Validators::new(&doc);
    for seed in 0..4 {
        let v = Synth::new(&doc, seed, "topology", false).spec_or_synth(
            &schema,
            &[],
            Fill::All,
            &mut validators,
        );
        assert!(validators.accepts(&schema, &v), "{v}");
    }
}

/// datadog's `WildcardWidgetRequest`: a `oneOf` of open objects that
/// accept each other's fields. An object drawn for one member matches
/// the others too, unless it carries a property another member declares
/// with a value of a type that member refuses.
#[test]
fn members_that_take_each_others_objects_are_set_apart_by_what_the_others_refuse() {
    let doc = json!({"components": {"schemas": {
        "Sort": {"type": "object", "properties": {"count": {"type": "integer"}}},
        "TreeMap": {"type": "object", "properties": {
            "q": {"type": "string"}, "sort": {"$ref": "#/components/schemas/Sort"}}},
        "Timeseries": {"type": "object", "properties": {
            "q": {"type": "string"},
            "display_type": {"type": "string", "enum": ["bars", "line"]}}},
        "ListStream": {"type": "object", "required": ["columns"], "properties": {
            "columns": {"type": "array", "items": {"type": "string"}}}},
        "Request": {"oneOf": [{"$ref": "#/components/schemas/TreeMap"},
            {"$ref": "#/components/schemas/Timeseries"},
            {"$ref": "#/components/schemas/ListStream"}]},
        "Definition": {"type": "object", "required": ["requests"], "properties": {
            "requests": {"type": "array", "minItems": 1,
                "items": {"$ref": "#/components/schemas/Request"}}}}}}});
    let mut validators = Validators::new(&doc);
    for name in ["Request", "Definition"] {
        let schema = json!({"$ref": format!("#/components/schemas/{name}")});
        for seed in 0..6 {
            for fill in [Fill::Required, Fill::All] {
                let v = Synth::new(&doc, seed, name, false).spec_or_synth(
                    &schema,
                    &[],
                    fill,
                    &mut validators,
                );
                assert!(validators.accepts(&schema, &v), "{name}: {v}");
            }
        }
    }
}
