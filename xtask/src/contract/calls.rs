//! The two calls of every operation: required parameters and fields only,
//! then every optional one too, with values the validator accepts.

use serde_json::{Map, Value, json};

use super::Verdict;
use super::document::resolve;
use super::harness;
use super::no_value::no_value;
use super::schema::Validators;
use super::shared_keys::{self, fit_shared_keys, left_out};
use super::values::{self, Fill, Synth};

/// One call of an operation: `(case, {setter: value})`; the case is
/// `required` or `all`, saying which parameters were left out of the
/// second because another writes the same key ([`shared_keys`]).
pub(super) type Case = (String, Map<String, Value>);

/// The two calls of an operation; `written`: the spec as written and the
/// operation in it, which Prism judges.
pub(super) fn cases(
    doc: &Value,
    path: &str,
    op: &Value,
    written: (&Value, &Value),
    generated: &harness::Operation,
    seed: u64,
    validators: &mut Validators,
) -> Result<Vec<Case>, Verdict> {
    let id = op["operationId"].as_str().unwrap_or_default();
    let parameters = parameters(doc, path, op);
    // Two parameters that write one key: one is left out of the call that
    // sends every parameter (a required one is never left out).
    let left = left_out(doc, &parameters);
    let mut out = Vec::new();
    for (case, fill) in [("required", Fill::Required), ("all", Fill::All)] {
        let mut synth = Synth::new(doc, seed, &format!("{id}/{case}"), true);
        let mut args = Map::new();
        let case = match fill {
            Fill::All if !left.is_empty() => {
                format!("{case}; {}", shared_keys::said(&parameters, &left))
            }
            _ => case.to_owned(),
        };
        for (i, p) in parameters.iter().enumerate() {
            let required = p["required"].as_bool() == Some(true);
            if (fill == Fill::Required && !required) || left.iter().any(|l| l.dropped == i) {
                continue;
            }
            let name = p["name"].as_str().unwrap_or_default();
            let Some(setter) = setter_for(generated, name) else {
                // Normalization drops optional cookies; a parameter the
                // client has no setter for is sent by nobody.
                if required {
                    return Err(Verdict::Failed(format!(
                        "the builder has no setter for the required parameter `{name}`"
                    )));
                }
                continue;
            };
            let schema = p
                .get("schema")
                .or_else(|| first_media(p.get("content")).and_then(|m| m.get("schema")));
            let schema = schema.cloned().unwrap_or(json!({}));
            if let Some(why) = no_value(doc, &schema) {
                if required {
                    return Err(admits_none(&format!("parameter `{name}`"), &why));
                }
                continue;
            }
            let mut examples: Vec<&Value> = p.get("example").into_iter().collect();
            examples.extend(
                p["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(_, e)| resolve(doc, e).get("value")),
            );
            let mut value = synth.spec_or_synth(&schema, &examples, fill, validators);
            // On the wire a parameter is text: an integer for `oneOf:
            // [integer, string]` (GitHub's workflow_id) is also a string
            // there, and matches both members. Draw one whose text is not.
            for _ in 0..TEXT_TRIES {
                if value.is_string() || !validators.accepts(&schema, &json!(value.to_string())) {
                    break;
                }
                value = synth.spec_or_synth(&schema, &[], fill, validators);
            }
            args.insert(setter, value);
        }
        // The key the kept parameter writes is read for the one left out
        // too: a value that fits both, where one is found.
        for l in &left {
            let name = parameters[l.kept]["name"].as_str().unwrap_or_default();
            let Some(kept) = setter_for(generated, name).and_then(|s| args.get_mut(&s)) else {
                continue;
            };
            fit_shared_keys(doc, &parameters, l, kept, &mut synth, validators);
        }
        let body = resolve(doc, &op["requestBody"]);
        // A body the spec requires is sent in both cases, with only its
        // required fields in the first; an optional one only in the second.
        let body_required = body["required"].as_bool() == Some(true);
        if body.is_object() && (body_required || fill == Fill::All) {
            let (media_type, media) =
                first_media_named(body.get("content")).unwrap_or(("", &Value::Null));
            let mut schema = media.get("schema").cloned().unwrap_or(json!({}));
            // Prism judges the body by the spec as written, which may admit
            // none where normalization reads it tolerantly.
            let (root, written_op) = written;
            let written_body = resolve(root, &written_op["requestBody"]);
            let written_schema = &written_body["content"][media_type]["schema"];
            let none = no_value(doc, &schema).map(|why| admits_none("request body", &why));
            let none = none
                .or_else(|| no_value(root, written_schema).map(|why| admits_none_as_written(&why)));
            let written_schema = resolve(root, written_schema);
            if let Some(none) = none {
                if body_required {
                    return Err(none);
                }
                out.push((case, args));
                continue;
            }
            // A body sent as it is (not JSON) is typed as bytes whatever
            // string format the spec wrote (Xero's `format: byte` for
            // `application/octet-stream`), and Prism checks the format
            // written: the value is drawn for that.
            if !is_json_media(media_type)
                && values::type_of(written_schema) == "string"
                && written_schema.get("format").is_some()
            {
                schema = written_schema.clone();
            }
            let mut examples: Vec<&Value> = media.get("example").into_iter().collect();
            examples.extend(
                media["examples"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(_, e)| resolve(doc, e).get("value")),
            );
            let mut value = synth.spec_or_synth(&schema, &examples, fill, validators);
            // A multipart body of no fields has no encoding: RFC 2046
            // (5.1.1) asks for at least one body part, and the client sends
            // an empty body, which Prism (validators/index.js:21) and
            // Python's email parser alike read as no body. clerk's
            // `SetUserProfileImage` requires a body whose one field, `file`,
            // is optional: its required-fields call sends every field.
            if body["x-codegen-body"]["kind"].as_str() == Some("multipart")
                && value.as_object().is_some_and(Map::is_empty)
            {
                value = synth.spec_or_synth(&schema, &examples, Fill::All, validators);
            }
            if !is_json_media(media_type) && !value.is_string() {
                value = Value::String(value.to_string());
            }
            if generated.setters.iter().any(|s| s.name == "body") {
                args.insert("body".to_owned(), value);
            } else {
                return Err(Verdict::Failed(
                    "the builder has no `body` setter for the request body".to_owned(),
                ));
            }
        }
        out.push((case, args));
    }
    Ok(out)
}

/// The verdict on an operation that needs a value no schema of its spec
/// admits: no client can make the call.
fn admits_none(part: &str, why: &str) -> Verdict {
    Verdict::Skipped(format!(
        "the spec's schema admits no value: the {part} needs one, and {why}"
    ))
}

/// The verdict on an operation whose body the spec as written (which Prism
/// judges) admits none of, where normalization's reading admits one: Prism
/// refuses whatever the client sends.
fn admits_none_as_written(why: &str) -> Verdict {
    Verdict::Skipped(format!(
        "the spec's schema as written, which Prism judges, admits no value: the request body \
         needs one, and {why} (normalization's reading of it, which the client sends, \
         admits one)"
    ))
}

/// Draws of a parameter value whose text the schema also takes as a string.
const TEXT_TRIES: usize = 8;

/// The request body's media type when the client sends XML (of a schema
/// that is not a string in the spec as written: normalization made it
/// text).
pub(super) fn xml_body(
    doc: &Value,
    op: &Value,
    written: &Value,
    written_op: &Value,
) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    let (name, _) = first_media_named(body.get("content"))?;
    let real = body["x-codegen-content-type"].as_str().unwrap_or(name);
    let essence = real.split(';').next().unwrap_or_default().trim();
    let is_xml = essence.ends_with("/xml") || essence.ends_with("+xml");
    let written_body = resolve(written, &written_op["requestBody"]);
    let schema = resolve(written, &written_body["content"][real]["schema"]);
    (is_xml && values::type_of(schema) != "string").then(|| essence.to_owned())
}

pub(super) fn is_json_media(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json"
        || essence.ends_with("+json")
        || essence.is_empty()
        || essence == "application/x-www-form-urlencoded"
}

/// An operation's parameters, the path item's included, resolved.
pub(super) fn parameters<'a>(doc: &'a Value, path: &str, op: &'a Value) -> Vec<&'a Value> {
    let mut parameters: Vec<&Value> = Vec::new();
    let shared = doc["paths"][path]["parameters"]
        .as_array()
        .into_iter()
        .flatten();
    for p in shared.chain(op["parameters"].as_array().into_iter().flatten()) {
        let p = resolve(doc, p);
        // An operation's parameter overrides the path item's of the same name and place.
        parameters.retain(|q| !(q["name"] == p["name"] && q["in"] == p["in"]));
        parameters.push(p);
    }
    parameters
}

pub(super) fn first_media(content: Option<&Value>) -> Option<&Value> {
    first_media_named(content).map(|(_, m)| m)
}

pub(super) fn first_media_named(content: Option<&Value>) -> Option<(&str, &Value)> {
    content?
        .as_object()?
        .iter()
        .next()
        .map(|(k, v)| (k.as_str(), v))
}

/// The setter progenitor made of a parameter name: its snake case, with
/// `_` after a keyword.
pub(super) fn setter_for(op: &harness::Operation, name: &str) -> Option<String> {
    let snake = snake_case(name);
    [snake.clone(), format!("{snake}_"), format!("_{snake}")]
        .into_iter()
        .find(|c| op.setters.iter().any(|s| s.name == *c))
}

/// The names the generator gives: its own rules, not a copy of them.
pub(super) fn snake_case(name: &str) -> String {
    codegen::naming::sanitize(name, codegen::naming::Case::Snake)
}

pub(super) fn pascal_case(name: &str) -> String {
    codegen::naming::sanitize(name, codegen::naming::Case::Pascal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_the_generator_makes_them() {
        assert_eq!(snake_case("X-Request-Id"), "x_request_id");
        assert_eq!(snake_case("petId"), "pet_id");
        assert_eq!(pascal_case("pet-store"), "PetStore");
        assert_eq!(pascal_case("2fa"), "X2fa");
    }

    /// clerk's `SetUserProfileImage`: a required multipart body whose one
    /// field is optional is sent with it in both calls (no parts is no
    /// multipart body); a JSON body of no fields stays `{}`.
    #[test]
    fn a_multipart_body_has_a_part_in_every_call() {
        let op = |kind: &str| {
            json!({"operationId": "upload", "requestBody": {"required": true,
                "x-codegen-body": {"kind": kind},
                "content": {"application/json": {"schema": {"type": "object",
                    "properties": {"file": {"type": "string"}}}}}},
                "responses": {"204": {"description": "done"}}})
        };
        let generated = harness::Operation::for_test("POST", "/image", &["body"]);
        for (kind, empty_first) in [("multipart", false), ("json", true)] {
            let doc = json!({"paths": {"/image": {"post": op(kind)}}});
            let mut validators = Validators::new(&doc);
            let o = &doc["paths"]["/image"]["post"];
            let cs = cases(&doc, "/image", o, (&doc, o), &generated, 1, &mut validators)
                .unwrap_or_default();
            assert_eq!(cs.len(), 2, "{kind}");
            assert_eq!(
                cs[0].1["body"] == json!({}),
                empty_first,
                "{kind}: {:?}",
                cs[0]
            );
            assert!(cs[1].1["body"].get("file").is_some(), "{kind}");
        }
    }

    /// plex's `getFirstCharacters`: `type` and `sort` (integers) beside the
    /// exploded `mediaQuery`, whose `type` (a few integers) and `sort` (a
    /// string) write the same query keys. The call with every parameter
    /// sends `type` and `sort` only, says so, and gives `type` a value
    /// `mediaQuery` reads back as its own; a required header keeps its
    /// place over an optional one of the same name in another case.
    #[test]
    fn of_two_parameters_that_write_one_key_one_is_sent() {
        let doc = json!({"components": {"schemas": {"MediaType": {"type": "integer",
            "enum": [1, 2, 4]}}},
            "paths": {"/first": {"get": {"operationId": "getFirstCharacters", "parameters": [
            {"name": "type", "in": "query", "schema": {"type": "integer"}},
            {"name": "sort", "in": "query", "schema": {"type": "integer"}},
            {"name": "mediaQuery", "in": "query", "style": "form", "explode": true,
                "schema": {"type": "object", "additionalProperties": false, "properties": {
                    "type": {"$ref": "#/components/schemas/MediaType"},
                    "sort": {"type": "string"}, "limit": {"type": "integer"}}}},
            {"name": "x-plex-token", "in": "header", "schema": {"type": "string"}},
            {"name": "X-Plex-Token", "in": "header", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "done"}}}}}});
        let generated = harness::Operation::for_test(
            "GET",
            "/first",
            &["type_", "sort", "media_query", "x_plex_token"],
        );
        let mut validators = Validators::new(&doc);
        let op = &doc["paths"]["/first"]["get"];
        for seed in 1..6 {
            let cs = cases(
                &doc,
                "/first",
                op,
                (&doc, op),
                &generated,
                seed,
                &mut validators,
            )
            .unwrap_or_default();
            let [(required, first), (all, every)] = &cs[..] else {
                panic!("{cs:?}");
            };
            assert_eq!(required, "required");
            assert_eq!(first.keys().collect::<Vec<_>>(), ["x_plex_token"]);
            assert_eq!(
                all,
                "all; `mediaQuery` left out: `type`, `sort` write the same query keys `type`, `sort`; \
                 `x-plex-token` left out: `X-Plex-Token` writes the same header key `x-plex-token`"
            );
            assert_eq!(
                every.keys().collect::<Vec<_>>(),
                ["sort", "type_", "x_plex_token"],
                "{every:?}"
            );
            assert!(
                [json!(1), json!(2), json!(4)].contains(&every["type_"]),
                "{every:?}"
            );
        }
    }

    /// Normalization types a raw body as bytes; Prism checks the format
    /// the spec wrote (`byte`: base64), so that is what is drawn.
    #[test]
    fn a_raw_body_is_drawn_for_the_format_written() {
        let op = |format: &str| {
            json!({"operationId": "upload", "requestBody": {"required": true, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": format}}}},
                "responses": {"204": {"description": "done"}}})
        };
        let (normalized, written) = (op("binary"), op("byte"));
        let doc = json!({"paths": {"/files": {"put": normalized}}});
        let spec = json!({"paths": {"/files": {"put": written}}});
        let generated = harness::Operation::for_test("PUT", "/files", &["body"]);
        let mut validators = Validators::new(&doc);
        let cs = cases(
            &doc,
            "/files",
            &doc["paths"]["/files"]["put"],
            (&spec, &spec["paths"]["/files"]["put"]),
            &generated,
            1,
            &mut validators,
        );
        let cs = cs.unwrap_or_default();
        assert!(!cs.is_empty());
        for (case, args) in cs {
            assert_eq!(args["body"], json!("aGVsbG8="), "{case}");
        }
    }

    /// assemblyai's `createTranscript`: normalization opens the body's
    /// `additionalProperties: false` beside its `allOf`; Prism judges the
    /// spec as written, which admits no body, so the call is a skip that
    /// says so. A body as written that admits one is sent.
    #[test]
    fn a_body_the_spec_as_written_admits_none_of_is_a_skip() {
        let op = |closed: bool| {
            let mut schema = json!({"type": "object", "allOf": [{"type": "object",
                "required": ["audio_url"],
                "properties": {"audio_url": {"type": "string"}}}]});
            if closed {
                schema["additionalProperties"] = json!(false);
            }
            json!({"operationId": "create", "requestBody": {"required": true, "content": {
                "application/json": {"schema": schema}}},
                "responses": {"204": {"description": "done"}}})
        };
        let doc = json!({"paths": {"/t": {"post": op(false)}}});
        let generated = harness::Operation::for_test("POST", "/t", &["body"]);
        let mut validators = Validators::new(&doc);
        for (closed, skipped) in [(true, true), (false, false)] {
            let spec = json!({"paths": {"/t": {"post": op(closed)}}});
            let cs = cases(
                &doc,
                "/t",
                &doc["paths"]["/t"]["post"],
                (&spec, &spec["paths"]["/t"]["post"]),
                &generated,
                1,
                &mut validators,
            );
            match cs {
                Err(Verdict::Skipped(why)) => {
                    assert!(skipped, "{why}");
                    assert!(
                        why.contains("as written, which Prism judges")
                            && why.contains("requires `audio_url` through `#/allOf/0`"),
                        "{why}"
                    );
                }
                Ok(cs) => {
                    assert!(!skipped && cs.len() == 2, "{cs:?}");
                    assert!(
                        cs.iter()
                            .all(|(_, args)| args["body"]["audio_url"].is_string())
                    );
                }
                Err(other) => panic!("{other:?}"),
            }
        }
    }
}
