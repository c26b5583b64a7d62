//! Requests Prism cannot judge. It reads every multipart part and every
//! form key as one string, so what the spec allows there it rejects: such
//! operations are skipped, each with its reason. Other parts it misreads
//! only when they are sent: the violations it then lists about them
//! ([`Excuse`]) skip the call when what the client sent there is right,
//! and any other violation still fails it.

use serde_json::Value;

use super::calls::{first_media, parameters, setter_for};
use super::document::{operations, resolve};
use super::harness;
use super::schema::Validators;
use super::values;

/// Why Prism routes no request to the path template `path`: one that holds
/// a `#fragment` or a `?query` (Speakeasy's and Dropbox Sign's way to put
/// two operations on one path: `/shared_items#folders`,
/// `/oauth/token?refresh`). Prism routes by the request's path alone
/// (prism-http-server 5.16 `dist/server.js:66` takes the URL's
/// `pathname`), and matches it segment by segment against each template
/// as written (prism-http `dist/router/matchPath.js:27`), so the last
/// segment `token?refresh` never matches `token`: the request goes to the
/// plain path's operation, or nowhere. The client sends the fragment
/// nowhere (HTTP does not) and the query after `?`.
pub(super) fn unroutable_path(path: &str) -> Option<String> {
    let (at, what) = match (path.find('#'), path.find('?')) {
        (Some(h), Some(q)) if q < h => (q, "a query"),
        (Some(h), _) => (h, "a fragment"),
        (None, Some(q)) => (q, "a query"),
        (None, None) => return None,
    };
    Some(format!(
        "the path template holds {what} (`{}`, two operations on one path): Prism routes a request by its path alone, which never matches a template holding it (prism-http-server 5.16 dist/server.js:66, prism-http dist/router/matchPath.js:27), so the request matches the plain path's operation or none",
        &path[at..]
    ))
}

/// The object and array fields of a typed multipart body (normalization
/// presents it as JSON and says so in `x-codegen-body`), comma-separated.
pub(super) fn multipart_structured(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    if body["x-codegen-body"]["kind"].as_str() != Some("multipart") {
        return None;
    }
    let schema = resolve(doc, &first_media(body.get("content"))?["schema"]);
    let fields: Vec<&str> = schema["properties"]
        .as_object()?
        .iter()
        .filter(|(_, p)| matches!(values::type_of(resolve(doc, p)), "object" | "array"))
        .map(|(name, _)| name.as_str())
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}

/// The array fields of a form body that are sent exploded (one pair per
/// item: the default, or `explode: true`), comma-separated.
pub(super) fn form_exploded_arrays(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, &op["requestBody"]);
    let ext = &body["x-codegen-body"];
    if ext["kind"].as_str() != Some("form") {
        return None;
    }
    let schema = resolve(doc, &first_media(body.get("content"))?["schema"]);
    let fields: Vec<&str> = schema["properties"]
        .as_object()?
        .iter()
        .filter(|(name, p)| {
            let encoding = &ext["encoding"][name.as_str()];
            values::type_of(resolve(doc, p)) == "array"
                && encoding["explode"].as_bool().unwrap_or(true)
                && encoding["style"].as_str() != Some("deepObject")
        })
        .map(|(name, _)| name.as_str())
        .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}

/// A violation Prism lists of a request the spec allows: at `location`
/// (Prism's dotted path, `query.ids`, or below it), with `message` when
/// given; `why` says what Prism misreads. It excuses only a call whose
/// arguments show the client sent that part right (`sent`): Prism's
/// misreading must not hide the client's mistake at the same place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Excuse {
    pub(super) location: String,
    pub(super) message: Option<String>,
    pub(super) why: String,
    pub(super) sent: Sent,
}

/// What a call must have sent for an [`Excuse`] to hold, read from the
/// arguments the harness gave it (`{setter: value}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Sent {
    /// The value of `setter` fits `schema`, the parameter's.
    Fits { setter: String, schema: Value },
    /// The body (an object) holds `key`.
    BodyKey(String),
    /// Nothing through `setter`.
    Absent(String),
}

impl Sent {
    /// Whether `args`, a call's arguments, sent what this asks.
    pub(super) fn holds(&self, args: &Value, validators: &mut Validators) -> bool {
        match self {
            // The runtime sends the array as one JSON text of it
            // (`Style::Json`): that text, read back, is what Prism got.
            Sent::Fits { setter, schema } => args.get(setter).is_some_and(|v| {
                serde_json::from_str::<Value>(&v.to_string())
                    .is_ok_and(|sent| validators.accepts(schema, &sent))
            }),
            Sent::BodyKey(key) => args["body"].get(key).is_some(),
            Sent::Absent(setter) => args.get(setter).is_none(),
        }
    }
}

impl Excuse {
    /// Whether `violation` (`{"message", "location"}`) is this one.
    pub(super) fn covers(&self, violation: &Value) -> bool {
        // Its own 422 says `query.ids.0`; the `sl-violations` of a response
        // of the spec's say `request.query.ids.0`.
        let location = violation["location"].as_str().unwrap_or_default();
        let location = location.strip_prefix("request.").unwrap_or(location);
        let below = location == self.location
            || location
                .strip_prefix(self.location.as_str())
                .is_some_and(|rest| rest.starts_with('.'));
        below
            && self
                .message
                .as_deref()
                .is_none_or(|m| violation["message"].as_str() == Some(m))
    }
}

/// What Prism misreads of an operation's requests, from its source
/// (`@stoplight/prism-http` 5.16, `dist/validator/`); `generated` names the
/// setters the harness gave the values through.
pub(super) fn excuses(
    doc: &Value,
    op: &Value,
    parameters: &[&Value],
    generated: &harness::Operation,
) -> Vec<Excuse> {
    let mut out = Vec::new();
    for p in parameters {
        if p["in"].as_str() != Some("query") {
            continue;
        }
        let schema = resolve(doc, &p["schema"]);
        let name = p["name"].as_str().unwrap_or_default();
        // deserializers/style/form.js:8 deserializes an exploded `form`
        // object whether or not it was sent (`{}` from no keys), and the
        // validator then asks that `{}` for the object's required
        // properties.
        if values::type_of(schema) == "object"
            && p["required"].as_bool() != Some(true)
            && p["style"].as_str().is_none_or(|s| s == "form")
            && p["explode"].as_bool() != Some(false)
            && schema["required"].as_array().is_some_and(|r| !r.is_empty())
        {
            out.push(Excuse {
                location: format!("query.{}", name.to_ascii_lowercase()),
                message: None,
                why: format!(
                    "the optional query parameter `{name}` is an object sent exploded (`key=value` per property), and Prism reads such an object from the query whether or not it was sent (prism-http 5.16 dist/validator/deserializers/style/form.js:8), so a request without it has an empty object that lacks the required properties"
                ),
                sent: Sent::Absent(setter_for(generated, name).unwrap_or_default()),
            });
            continue;
        }
        // deserializers/style/form.js:30-38 reads an exploded `form`
        // object back from the query keys that are names under the
        // schema's own `properties`, the keys lowercased first
        // (validators/params.js:27-31): the properties only the members of
        // a composition declare (intercom's `filter`, a `oneOf` of
        // `{user_id}`, `{intercom_user_id}`, `{email}`), or named with
        // capitals, are never read, and the object it validates lacks them.
        if values::type_of(schema) == "object"
            && p["style"].as_str().is_none_or(|s| s == "form")
            && p["explode"].as_bool() != Some(false)
            && let Some(unseen) = unread_properties(doc, schema)
            && let Some(setter) = setter_for(generated, name)
        {
            out.push(Excuse {
                location: format!("query.{}", name.to_ascii_lowercase()),
                message: None,
                why: format!(
                    "the query parameter `{name}` is an object sent exploded (`key=value` per property), and Prism reads back only the keys named under the schema's own `properties`, lowercased (prism-http 5.16 dist/validator/deserializers/style/form.js:30-38, validators/params.js:27-31), so it never reads {unseen} and judges an object without them"
                ),
                sent: Sent::Fits {
                    setter,
                    schema: p["schema"].clone(),
                },
            });
            continue;
        }
        let items = resolve(doc, &schema["items"]);
        if values::type_of(schema) != "array"
            || !matches!(values::type_of(items), "object" | "array")
        {
            continue;
        }
        // Without a setter nothing is sent, and nothing is excused.
        let Some(setter) = setter_for(generated, name) else {
            continue;
        };
        // deserializers/style/form.js: an array is the text split on `,`
        // (`explode` is read as false when the spec leaves it out), and
        // nothing parses JSON, so each item stays a string.
        out.push(Excuse {
            location: format!("query.{}", name.to_ascii_lowercase()),
            message: None,
            why: format!(
                "the query parameter `{name}` is an array of {}s, which no OpenAPI style writes (the client sends the array as JSON text); Prism splits a query value on commas and parses no JSON, so every item it reads is a string and it rejects every value",
                values::type_of(items)
            ),
            sent: Sent::Fits {
                setter,
                schema: p["schema"].clone(),
            },
        });
    }
    let body = resolve(doc, &op["requestBody"]);
    let kind = body["x-codegen-body"]["kind"].as_str();
    if let Some(media) = first_media(body.get("content"))
        && (matches!(kind, Some("form" | "multipart"))
            || body["content"]
                .get("application/x-www-form-urlencoded")
                .is_some())
    {
        let schema = resolve(doc, &media["schema"]);
        let declared = schema["properties"].as_object();
        for key in schema["required"].as_array().into_iter().flatten() {
            let Some(key) = key.as_str() else { continue };
            // Without `properties`, Prism reads every key.
            if declared.is_none_or(|d| d.contains_key(key)) {
                continue;
            }
            // validators/body.js, deserializeFormBody: only the keys under
            // `properties` are read from the body.
            out.push(Excuse {
                location: "body".to_owned(),
                message: Some(format!("Request body must have required property '{key}'")),
                why: format!(
                    "the body's schema requires `{key}` without declaring it under `properties`, and Prism reads only the declared keys of a form body, so it misses the `{key}` the client sends"
                ),
                sent: Sent::BodyKey(key.to_owned()),
            });
        }
    }
    out
}

/// The properties of an exploded query object Prism does not read back
/// (see [`excuses`]): those the members of its `oneOf`, `anyOf` or `allOf`
/// declare, and its own that have capitals; `None` when it reads them all.
fn unread_properties(doc: &Value, schema: &Value) -> Option<String> {
    let mut unread: Vec<String> = Vec::new();
    let own = schema["properties"].as_object();
    for key in ["oneOf", "anyOf", "allOf"] {
        for member in schema[key].as_array().into_iter().flatten() {
            for name in resolve(doc, member)["properties"]
                .as_object()
                .into_iter()
                .flat_map(|p| p.keys())
            {
                let seen =
                    own.is_some_and(|o| o.contains_key(name)) && name.to_lowercase() == *name;
                if !seen && !unread.iter().any(|u| u.as_str() == format!("`{name}`")) {
                    unread.push(format!("`{name}`"));
                }
            }
        }
    }
    for name in own.into_iter().flat_map(|o| o.keys()) {
        let shown = format!("`{name}`");
        if name.to_lowercase() != *name && !unread.contains(&shown) {
            unread.push(shown);
        }
    }
    (!unread.is_empty()).then(|| unread.join(", "))
}

/// Violations of the path parameters of another operation Prism sends the
/// request to: `path` and an operation of the same `method` at another
/// template that is the same but for its parameters' names
/// (xero's `/Contacts/{ContactID}`, a UUID, beside
/// `/Contacts/{ContactNumber}`). OpenAPI calls such paths identical and
/// forbids them; Prism routes among them by position alone
/// (`dist/router/index.js`: `calculateMatchScore`, :13, ranks templates by
/// their literal segments, and `disambiguateMatches`, :92-96, takes the
/// first of equal rank), and then judges the request by the other
/// operation's parameters. Excused only when the value the client sent at
/// that place fits this operation's own parameter.
pub(super) fn misrouted(
    doc: &Value,
    method: &str,
    path: &str,
    own: &[&Value],
    generated: &harness::Operation,
) -> Vec<Excuse> {
    let mut out = Vec::new();
    let shape = unnamed(path);
    for (other_method, other_path, other_op) in operations(doc) {
        if other_method != method || other_path == path || unnamed(&other_path) != shape {
            continue;
        }
        let theirs = parameters(doc, &other_path, other_op);
        let names = |template: &str| -> Vec<Vec<String>> {
            template.split('/').map(template_names).collect()
        };
        for (mine, other) in names(path).iter().zip(names(&other_path)) {
            // One parameter a segment on both sides (`{ContactID}`), the
            // common case; anything finer is not excused.
            let ([mine], [other]) = (mine.as_slice(), other.as_slice()) else {
                continue;
            };
            let Some(own_param) = own
                .iter()
                .find(|p| p["in"] == "path" && p["name"].as_str() == Some(mine))
            else {
                continue;
            };
            if !theirs
                .iter()
                .any(|p| p["in"] == "path" && p["name"].as_str() == Some(other))
            {
                continue;
            }
            let Some(setter) = setter_for(generated, mine) else {
                continue;
            };
            let id = other_op["operationId"].as_str().unwrap_or("?");
            out.push(Excuse {
                location: format!("path.{}", other.to_ascii_lowercase()),
                message: None,
                why: format!(
                    "`{path}` and `{other_path}` (`{id}`) are one template but for their parameters' names, which OpenAPI forbids (such paths are identical), and Prism routes a request among them by position alone (prism-http 5.16 dist/router/index.js:13 ranks templates by their literal segments, :92-96 takes the first of equal rank): it judged the `{mine}` the client sent, which fits this operation's parameter, as `{id}`'s `{other}`"
                ),
                sent: Sent::Fits {
                    setter,
                    schema: own_param["schema"].clone(),
                },
            });
        }
    }
    out
}

/// A template with its parameters' names left out: `/a/{}/b{}`.
fn unnamed(template: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in template.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The names of the parameters in one segment of a template.
fn template_names(segment: &str) -> Vec<String> {
    segment
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// A request the spec allows that makes Prism crash, known by where it
/// throws (`thrown_in`, a file of Prism's, and `message`, both read from
/// its last words) and by what the call sent (`when`): the crash is
/// Prism's limit only when the call did send that. Any other crash fails
/// the operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Crash {
    pub(super) thrown_in: &'static str,
    pub(super) message: &'static str,
    pub(super) when: When,
    pub(super) why: String,
}

/// What a call sent, for a [`Crash`] to be the one Prism is known for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum When {
    /// Nothing through this setter.
    Absent(String),
    /// A value through `setter` that its path style writes with commas:
    /// an array of several items, unless `label` or `matrix` explode it
    /// (`.a.b`, `;id=a;id=b`); an object, unless exploded (`x=1`, `.x=1`,
    /// `;x=1`) with one member or, in `label`/`matrix`, any number.
    Commas {
        setter: String,
        explode: bool,
        /// `simple`, which writes commas between exploded members too.
        simple: bool,
    },
}

impl Crash {
    /// Whether `r`, a crashed call's result (`last_words`, `args`), is this.
    pub(super) fn covers(&self, r: &Value) -> bool {
        let words = r["last_words"].as_str().unwrap_or_default();
        let sent = match &self.when {
            When::Absent(setter) => r["args"].get(setter).is_none(),
            When::Commas {
                setter,
                explode,
                simple,
            } => match r["args"].get(setter) {
                Some(Value::Array(items)) => items.len() > 1 && (*simple || !explode),
                Some(Value::Object(members)) => {
                    !members.is_empty() && (!explode || (*simple && members.len() > 1))
                }
                _ => false,
            },
        };
        sent && words.contains(self.thrown_in) && words.contains(self.message)
    }
}

/// The crashes of Prism's a request of this operation may cause though the
/// spec allows it, from Prism's source (`@stoplight/prism-http` 5.16,
/// `dist/validator/`, and the `uri-template-lite` 22.9 it matches paths
/// with).
pub(super) fn crashes(
    doc: &Value,
    parameters: &[&Value],
    generated: &harness::Operation,
) -> Vec<Crash> {
    let mut out = Vec::new();
    for p in parameters {
        let kind = values::type_of(resolve(doc, &p["schema"]));
        if !matches!(kind, "array" | "object") {
            continue;
        }
        let name = p["name"].as_str().unwrap_or_default();
        let Some(setter) = setter_for(generated, name) else {
            continue;
        };
        let required = p["required"].as_bool() == Some(true);
        match p["in"].as_str() {
            // validators/params.js:27-31 calls the style's deserializer for
            // every header the operation declares, sent or not;
            // deserializers/style/simple.js:20 (arrays), :23 and :29
            // (objects) split the value without looking whether there is
            // one. The uncaught TypeError ends node.
            Some("header") if !required => out.push(Crash {
                thrown_in: "deserializers/style/simple.js",
                message: "reading 'split'",
                when: When::Absent(setter),
                why: format!(
                    "Prism crashes on a request without the optional {kind} header `{name}`, which the spec allows: it deserializes every declared header whether sent or not (prism-http 5.16 dist/validator/validators/params.js:27-31), and the `simple` style splits the missing value (dist/validator/deserializers/style/simple.js:20 for arrays, :23 and :29 for objects: `value.split(',')` of undefined)"
                ),
            }),
            // validator/index.js:61 and :86 read the path's variables with
            // uri-template-lite, whose match (index.js:106-107) splits a
            // value on `,` and gives an array when it holds several; then
            // the style's deserializer calls a string method on that array:
            // simple.js:20/:23/:29 `.split`, label.js:7 and matrix.js:7
            // `.startsWith`.
            Some("path") => {
                let style = p["style"].as_str().unwrap_or("simple");
                let (thrown_in, message, at) = match style {
                    "label" => (
                        "deserializers/style/label.js",
                        "startsWith is not a function",
                        "dist/validator/deserializers/style/label.js:7",
                    ),
                    "matrix" => (
                        "deserializers/style/matrix.js",
                        "startsWith is not a function",
                        "dist/validator/deserializers/style/matrix.js:7",
                    ),
                    _ => (
                        "deserializers/style/simple.js",
                        "value.split is not a function",
                        "dist/validator/deserializers/style/simple.js:20 for arrays, :23 and :29 for objects",
                    ),
                };
                out.push(Crash {
                    thrown_in,
                    message,
                    when: When::Commas {
                        setter,
                        explode: p["explode"].as_bool().unwrap_or(false),
                        simple: !matches!(style, "label" | "matrix"),
                    },
                    why: format!(
                        "Prism crashes on the {kind} path parameter `{name}` written with commas (the `{style}` style the spec gives it): it reads path variables with uri-template-lite, whose match makes a value with commas an array (uri-template-lite 22.9 index.js:106-107; prism-http 5.16 dist/validator/index.js:61, :86), and the style's deserializer then calls a string method on that array ({at})"
                    ),
                });
            }
            _ => {}
        }
    }
    out
}

/// A property a schema requires without declaring it under `properties`,
/// with the required properties it does declare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Undeclared {
    pub(super) key: String,
    pub(super) beside: Vec<String>,
}

/// The properties `schema` (and every schema inside it) requires without
/// declaring them: Prism's generators never make them (json-schema-faker's
/// `objectType` fills a required key only from a property or an
/// `additionalProperties` schema; Box's `shared_link` requires an
/// `accessed` it never declares).
pub(super) fn undeclared_required(doc: &Value, schema: &Value) -> Vec<Undeclared> {
    let mut found: Vec<Undeclared> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![schema];
    while let Some(s) = stack.pop() {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            if seen.insert(r.to_owned()) {
                stack.push(resolve(doc, s));
            }
            continue;
        }
        if let Some(declared) = s["properties"].as_object() {
            let required: Vec<&str> = s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let beside: Vec<String> = required
                .iter()
                .filter(|k| declared.contains_key(**k))
                .map(|k| (*k).to_owned())
                .collect();
            for key in required.iter().filter(|k| !declared.contains_key(**k)) {
                let u = Undeclared {
                    key: (*key).to_owned(),
                    beside: beside.clone(),
                };
                if !beside.is_empty() && !found.contains(&u) {
                    found.push(u);
                }
            }
            stack.extend(declared.values());
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            stack.extend(s[key].as_array().into_iter().flatten());
        }
        for key in ["items", "additionalProperties"] {
            if s[key].is_object() {
                stack.push(&s[key]);
            }
        }
    }
    found
}

/// `body` with the undeclared properties given (as `null`) to every object
/// that holds the properties required beside them and lacks them: what
/// Prism would have answered had it made them.
pub(super) fn with_undeclared(body: &Value, undeclared: &[Undeclared]) -> Value {
    match body {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), with_undeclared(v, undeclared)))
                .collect();
            for u in undeclared {
                if u.beside.iter().all(|k| map.contains_key(k)) {
                    out.entry(u.key.clone()).or_insert(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| with_undeclared(v, undeclared))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A schema of the normalized document as Prism's faker reads the spec it
/// serves, where that differs: an answer that breaks the schema and fits
/// this reading was made wrong by Prism, not read wrong by us.
/// json-schema-faker 0.5.9 (Prism 5.16's, `dist/main.cjs`):
/// - makes an object by walking the map of its properties' schemas
///   (`objectType`, :2053) with the walk it gives a schema (`traverse`),
///   which copies a key named `definitions` as it stands (:2417, `prop !==
///   "definitions"`: the keyword of that name), so a property named
///   `definitions` is answered with its own schema (growthbook's
///   `getFeature`: a map of strings answered as `{type, propertyNames,
///   additionalProperties}`): read as any value;
/// - bounds a number by `minimum` and `maximum` alone (`numberType`,
///   :1768-1769; integers through it, :1818-1819) and reads
///   `exclusiveMinimum` and `exclusiveMaximum` only as draft 4's booleans
///   beside them (:1790-1795), so the numbers an OpenAPI 3.1 spec writes
///   there bound nothing (growthbook's `exclusiveMinimum: 0` answered
///   with -49188549.3). Normalization writes such a number as the bound
///   with `exclusive…: true`: in a spec served as 3.1 (`openapi_31`), both
///   are read as no bound.
pub(super) fn as_faker_reads(schema: &Value, openapi_31: bool) -> Value {
    let read = |v: &Value| as_faker_reads(v, openapi_31);
    match schema {
        Value::Object(map) => {
            // The bounds 3.1 wrote as numbers, which the faker never read.
            let unread: Vec<&str> = [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ]
            .into_iter()
            .filter(|(flag, _)| match map.get(*flag) {
                Some(Value::Number(_)) => true,
                Some(Value::Bool(true)) => openapi_31,
                _ => false,
            })
            .flat_map(|(flag, bound)| [flag, bound])
            .collect();
            Value::Object(
                map.iter()
                    .filter(|(k, _)| !unread.contains(&k.as_str()))
                    .map(|(k, v)| {
                        let v = match k.as_str() {
                            // Data, not schemas.
                            "enum" | "const" | "default" | "example" | "examples" => v.clone(),
                            _ if k.starts_with("x-") => v.clone(),
                            "properties" => match v {
                                Value::Object(props) => Value::Object(
                                    props
                                        .iter()
                                        .map(|(name, p)| {
                                            let p = if name == "definitions" {
                                                Value::Object(serde_json::Map::new())
                                            } else {
                                                read(p)
                                            };
                                            (name.clone(), p)
                                        })
                                        .collect(),
                                ),
                                other => other.clone(),
                            },
                            _ => read(v),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(read).collect()),
        other => other.clone(),
    }
}

/// Why an answer that breaks its schema and fits it as Prism's faker reads
/// it ([`as_faker_reads`]) is Prism's.
pub(super) fn faker_reading(openapi_31: bool) -> String {
    let bounds = if openapi_31 {
        "; and it bounds numbers by `minimum` and `maximum` alone, reading `exclusiveMinimum`/`exclusiveMaximum` only as draft 4's booleans beside them, so the numbers this OpenAPI 3.1 spec writes there bound nothing: :1768-1769, :1790-1795"
    } else {
        ""
    };
    format!(
        "Prism's faker made this body from the schema as it reads it, and the body fits that reading (json-schema-faker 0.5.9 answers a property named `definitions` with its own schema: dist/main.cjs:2053, :2417{bounds})"
    )
}

/// Why a call's line is Prism's limit, when Prism threw making the static
/// answer (`Prefer: dynamic=false`) the harness asked for after the
/// generated one did not decode, and threw the exception its sampler
/// throws on a recursive `allOf` (plex's `getItemTree`:
/// `MediaContainerWithNestedMetadata` holds `Items`, an `allOf` whose
/// part holds `Items` again). Prism bundles each operation's schemas
/// (prism-http dist/utils/operations.js:29, @stoplight/json 3.21.7
/// `bundleTarget`), which writes the `allOf` list met again as a `$ref`
/// to `#/__bundled__/allOf`; json-schema-faker, behind the generated
/// answer, follows it, while @stoplight/json-schema-sampler 0.3.0, behind
/// the static one, iterates it as the list (`allOfSample`,
/// dist/json-schema-sampler.js:294, from `traverse` :921) and throws
/// `TypeError: Invalid attempt to iterate non-iterable instance` (:284),
/// which Prism answers as its own HTTP 500 (prism-http
/// dist/mocker/generator/JSONSchema.js:85). The request plays no part: the
/// static answer is the schema's.
pub(super) fn static_answer_throws(line: &Value) -> Option<String> {
    let retry = &line["retry"];
    let thrown = retry["kind"] == "mock_error"
        && retry["message"]
            .as_str()
            .is_some_and(|m| m.contains("Invalid attempt to iterate non-iterable instance"));
    (thrown && line["after_validation"] == true).then(|| {
        "Prism throws making the static answer of this schema (a recursive `allOf`, which its bundler writes as a `$ref` where the sampler iterates a list: @stoplight/json-schema-sampler 0.3.0 dist/json-schema-sampler.js:294, :284), whatever the request".to_owned()
    })
}

/// Whether Prism's last words say node ran out of memory: its heap
/// (`JavaScript heap out of memory`) or memory outside it, such as the
/// regular-expression compiler's (`RegExpCompiler Allocation failed -
/// process out of memory`: getstream's `GroupedQueryChannels`, whose
/// answer's patterns the faker draws strings for).
pub(super) fn out_of_memory(words: &str) -> bool {
    words.contains("heap out of memory") || words.contains("process out of memory")
}

/// Why a call Prism accepted and then crashed on making the answer for
/// (out of heap or time: `session` retried it asking for the static
/// answer) is Prism's limit, or `None` when the line is no such crash.
///
/// prism-http 5.16 generates bodies with json-schema-faker set to fake
/// every optional property (dist/mocker/generator/JSONSchema.js:45-52:
/// `alwaysFakeOptionals: true`, `optionalsProbability: 1`) and to follow
/// `$ref`s 3 deep (`refDepthMax`, :35), arrays of any length (`maxItems:
/// null`, :29): a schema whose properties fan out into arrays of objects
/// that do the same multiplies into a body node cannot hold. It logs that
/// the request passed validation (dist/mocker/index.js:147) before it
/// generates, which is what says our request was not the cause.
pub(super) fn generator_gave_out(line: &Value) -> Option<String> {
    let (crash, words, retried) = if line["kind"] == "crashed" {
        if line["after_validation"] != true {
            return None;
        }
        (&line["crash"], &line["last_words"], false)
    } else if let Some(c) = line.get("generator_crash") {
        (&c["crash"], &c["last_words"], true)
    } else if let Some(first) = line["static_since"].as_str() {
        return Some(format!(
            "answered statically (`Prefer: dynamic=false`): Prism's generator gave out on this answer's schema when `{first}` was called"
        ));
    } else {
        return None;
    };
    let crash = crash.as_str().unwrap_or("Prism crashed");
    let words = words.as_str().unwrap_or_default();
    let ran_out = out_of_memory(words) || crash.contains("did not answer within");
    if !ran_out {
        return None;
    }
    let then = if retried {
        "so the call was made again asking for its static answer (`Prefer: dynamic=false`), which is what is judged"
    } else {
        "its static answer could not be had either"
    };
    Some(format!(
        "Prism accepted the request, then ran out making the answer (json-schema-faker fakes every optional property and follows $refs 3 deep: prism-http dist/mocker/generator/JSONSchema.js:45-52): {crash}: {words}; {then}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// getstream's `GroupedQueryChannels`: node's regular-expression
    /// compiler ran out of memory after Prism accepted the request.
    #[test]
    fn running_out_of_any_memory_making_the_answer_is_prisms() {
        let line = |words: &str, accepted: bool| {
            json!({"kind": "crashed", "crash": "Prism exited (signal: 6 (SIGABRT))",
                "last_words": words, "after_validation": accepted})
        };
        for words in [
            "FATAL ERROR: RegExpCompiler Allocation failed - process out of memory",
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
        ] {
            assert!(
                generator_gave_out(&line(words, true)).is_some_and(|why| why.contains(words)),
                "{words}"
            );
            assert_eq!(generator_gave_out(&line(words, false)), None, "{words}");
        }
        let thrown = "TypeError: value.split is not a function";
        assert_eq!(generator_gave_out(&line(thrown, true)), None);
    }
    use serde_json::json;

    /// Dropbox Sign's `/oauth/token?refresh`, Box's and mistral's
    /// `#fragment`s: Prism routes none of them; a plain template it does.
    #[test]
    fn templates_with_a_query_or_a_fragment_are_unroutable() {
        let query = unroutable_path("/oauth/token?refresh").unwrap_or_default();
        assert!(query.contains("holds a query (`?refresh`"), "{query}");
        let fragment = unroutable_path("/shared_items#folders").unwrap_or_default();
        assert!(
            fragment.contains("holds a fragment (`#folders`"),
            "{fragment}"
        );
        let both = unroutable_path("/a?b#c").unwrap_or_default();
        assert!(both.contains("(`?b#c`"), "{both}");
        assert_eq!(unroutable_path("/oauth/{token}/refresh"), None);
    }

    /// Which values each path style writes with commas, the ones Prism's
    /// path matcher turns into arrays (realworld_parameter_names.yaml's
    /// `labelPoint`, `.x,13,y,33`, crashed it in label.js:7).
    #[test]
    fn path_values_with_commas_by_style() {
        let label_words = "TypeError: parameters[name].startsWith is not a function at deserializeLabelStyle (@stoplight/prism-http/dist/validator/deserializers/style/label.js:7:27)";
        let crash = |style: &str, explode: bool| Crash {
            thrown_in: match style {
                "label" => "deserializers/style/label.js",
                "matrix" => "deserializers/style/matrix.js",
                _ => "deserializers/style/simple.js",
            },
            message: "startsWith is not a function",
            when: When::Commas {
                setter: "v".to_owned(),
                explode,
                simple: style == "simple",
            },
            why: String::new(),
        };
        let sent = |v: Value| json!({"last_words": label_words, "args": {"v": v}});
        let label = crash("label", false);
        assert!(label.covers(&sent(json!({"x": 13}))), "`.x,13`");
        assert!(label.covers(&sent(json!([1, 2]))), "`.1,2`");
        assert!(!label.covers(&sent(json!([1]))), "`.1`");
        let exploded = crash("label", true);
        assert!(
            !exploded.covers(&sent(json!({"x": 13, "y": 33}))),
            "`.x=13.y=33`"
        );
        assert!(!exploded.covers(&sent(json!([1, 2]))), "`.1.2`");
        // Other words: another crash.
        assert!(!crash("matrix", false).covers(&sent(json!([1, 2]))));
        let simple = Crash {
            message: "startsWith is not a function",
            ..crash("simple", true)
        };
        let simple_words = |v: Value| json!({"last_words": "startsWith is not a function at deserializers/style/simple.js", "args": {"v": v}});
        assert!(
            simple.covers(&simple_words(json!({"x": 1, "y": 2}))),
            "`x=1,y=2`"
        );
        assert!(!simple.covers(&simple_words(json!({"x": 1}))), "`x=1`");
    }

    /// typesense's `deleteDocuments`: Prism asked an absent optional
    /// object for its required `filter_by`.
    #[test]
    fn an_absent_exploded_query_object_is_excused() {
        let doc = json!({});
        let object = json!({"type": "object", "required": ["filter_by"],
            "properties": {"filter_by": {"type": "string"}}});
        let params = [
            json!({"name": "deleteParams", "in": "query", "schema": object}),
            json!({"name": "kept", "in": "query", "required": true, "schema": object}),
            json!({"name": "flat", "in": "query", "explode": false, "schema": object}),
        ];
        let generated =
            harness::Operation::for_test("DELETE", "/p", &["delete_params", "kept", "flat"]);
        let found = excuses(
            &doc,
            &json!({}),
            &params.iter().collect::<Vec<_>>(),
            &generated,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].location, "query.deleteparams");
        let mut v = Validators::new(&doc);
        assert!(found[0].sent.holds(&json!({}), &mut v));
        assert!(
            !found[0]
                .sent
                .holds(&json!({"delete_params": {"filter_by": "x"}}), &mut v)
        );
        assert!(found[0].covers(&json!({"location": "query.deleteparams",
            "message": "Request query parameter deleteparams must have required property 'filter_by'"})));
    }

    /// intercom's `lisDataEvents`: `filter`, an exploded query object that
    /// is a `oneOf` of `{user_id}`, `{intercom_user_id}`, `{email}`; Prism
    /// reads none of them back. An object whose own properties are all
    /// lowercase is read whole: nothing to excuse.
    #[test]
    fn an_exploded_query_object_whose_properties_prism_cannot_see() {
        let doc = json!({});
        let member = |name: &str| {
            json!({"properties": {name: {"type": "string"}},
            "required": [name], "additionalProperties": false})
        };
        let params = [
            json!({"name": "filter", "in": "query", "required": true, "style": "form", "explode": true,
                "schema": {"type": "object", "oneOf": [member("user_id"), member("email")]}}),
            json!({"name": "page", "in": "query", "required": true,
                "schema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}}),
            json!({"name": "Sort", "in": "query", "required": true,
                "schema": {"type": "object", "properties": {"sortBy": {"type": "string"}}}}),
        ];
        let generated = harness::Operation::for_test("GET", "/events", &["filter", "page", "sort"]);
        let found = excuses(
            &doc,
            &json!({}),
            &params.iter().collect::<Vec<_>>(),
            &generated,
        );
        let places: Vec<&str> = found.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(places, ["query.filter", "query.sort"]);
        assert!(
            found[0].why.contains("`user_id`, `email`"),
            "{}",
            found[0].why
        );
        assert!(found[1].why.contains("`sortBy`"), "{}", found[1].why);
        let mut v = Validators::new(&doc);
        assert!(
            found[0]
                .sent
                .holds(&json!({"filter": {"email": "a@b.c"}}), &mut v)
        );
        // Both members at once match neither: the client's mistake.
        assert!(
            !found[0]
                .sent
                .holds(&json!({"filter": {"email": "a", "user_id": "u"}}), &mut v)
        );
        assert!(found[0].covers(&json!({"location": "query.filter",
            "message": "Request query parameter filter must have required property 'user_id'"})));
    }

    /// xero's `/Contacts/{ContactNumber}` beside `/Contacts/{ContactID}`
    /// (a UUID): Prism may judge the number as the other template's ID.
    /// Only templates that are the same but for their names, of the same
    /// method, are the other operation's; the excuse holds only when the
    /// value sent fits this operation's own parameter.
    #[test]
    fn a_template_the_same_but_for_its_names_is_prisms_other_route() {
        let param = |name: &str, schema: Value| json!({"name": name, "in": "path", "required": true, "schema": schema});
        let doc = json!({"paths": {
            "/Contacts/{ContactID}": {"get": {"operationId": "getContact",
                "parameters": [param("ContactID", json!({"type": "string", "format": "uuid"}))]}},
            "/Contacts/{ContactNumber}": {"get": {"operationId": "getContactByContactNumber",
                "parameters": [param("ContactNumber", json!({"type": "string", "maxLength": 8}))]}},
            "/Contacts/{ContactID}/History": {"get": {"operationId": "getHistory",
                "parameters": [param("ContactID", json!({"type": "string", "format": "uuid"}))]}},
            "/Invoices/{InvoiceID}": {"get": {"operationId": "getInvoice",
                "parameters": [param("InvoiceID", json!({"type": "string"}))]}},
            "/Contacts/Summary": {"get": {"operationId": "getSummary"}}}});
        let path = "/Contacts/{ContactNumber}";
        let op = &doc["paths"][path]["get"];
        let own = parameters(&doc, path, op);
        let generated = harness::Operation::for_test("GET", path, &["contact_number"]);
        let found = misrouted(&doc, "GET", path, &own, &generated);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].location, "path.contactid");
        assert!(
            found[0]
                .why
                .contains("`/Contacts/{ContactID}` (`getContact`)")
                && found[0].why.contains("dist/router/index.js"),
            "{}",
            found[0].why
        );
        let violation =
            json!({"location": "path.contactid", "message": "must match format \"uuid\""});
        assert!(found[0].covers(&violation));
        let mut v = Validators::new(&doc);
        assert!(
            found[0]
                .sent
                .holds(&json!({"contact_number": "C-12"}), &mut v)
        );
        // A number the operation's own schema refuses is the client's fault.
        assert!(
            !found[0]
                .sent
                .holds(&json!({"contact_number": "C-123456789"}), &mut v)
        );
        // Another method at the other template routes nowhere else.
        assert!(misrouted(&doc, "POST", path, &own, &generated).is_empty());
    }

    #[test]
    fn excuses_name_query_arrays_of_objects_and_undeclared_form_keys() {
        let doc = json!({"components": {"schemas": {"F": {"type": "object"}}}});
        let params = [
            json!({"name": "mdFilters", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/F"}}}),
            json!({"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}),
            json!({"name": "h", "in": "header", "schema": {"type": "array", "items": {"type": "object"}}}),
        ];
        let op = json!({"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["grant_type", "token"], "properties": {"token": {"type": "string"}}}}}}});
        let generated =
            harness::Operation::for_test("POST", "/p", &["md_filters", "ids", "h", "body"]);
        let found = excuses(&doc, &op, &params.iter().collect::<Vec<_>>(), &generated);
        let places: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|e| (e.location.as_str(), e.message.as_deref()))
            .collect();
        assert_eq!(
            places,
            [
                ("query.mdfilters", None),
                (
                    "body",
                    Some("Request body must have required property 'grant_type'")
                ),
            ]
        );
        // Each holds only when the client sent that part right: an array
        // of objects, a body with the key.
        let mut v = Validators::new(&doc);
        let [query, body] = [&found[0].sent, &found[1].sent];
        assert!(query.holds(&json!({"md_filters": [{"k": 1}]}), &mut v));
        for wrong in [
            json!({"md_filters": ["{\"k\": 1}"]}),
            json!({"md_filters": {"k": 1}}),
            json!({}),
        ] {
            assert!(!query.holds(&wrong, &mut v), "{wrong}");
        }
        assert!(body.holds(
            &json!({"body": {"grant_type": "urn:revoke", "token": "t"}}),
            &mut v
        ));
        assert!(!body.holds(&json!({"body": {"token": "t"}}), &mut v));
        assert!(!body.holds(&json!({}), &mut v));
        // A JSON body is read whole: nothing to excuse.
        let json_op = json!({"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "required": ["grant_type"], "properties": {}}}}}});
        assert!(excuses(&doc, &json_op, &[], &generated).is_empty());
        // A parameter the client has no setter for is never sent.
        let unset = harness::Operation {
            setters: Vec::new(),
            ..generated.clone()
        };
        assert!(excuses(&doc, &json!({}), &[&params[0]], &unset).is_empty());
    }

    #[test]
    fn required_properties_no_schema_declares() {
        let doc = json!({"components": {"schemas": {"Link": {"allOf": [{"type": "object",
            "required": ["url", "accessed"], "properties": {"url": {"type": "string"}}}]}}}});
        let schema = json!({"type": "object", "required": ["link"], "properties": {
            "link": {"$ref": "#/components/schemas/Link"},
            "all": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}});
        let found = undeclared_required(&doc, &schema);
        assert_eq!(
            found,
            [Undeclared {
                key: "accessed".to_owned(),
                beside: vec!["url".to_owned()]
            }]
        );
        // Only the objects that hold `url` get it.
        assert_eq!(
            with_undeclared(
                &json!({"link": {"url": "u"}, "n": [1, {}, {"url": "v"}]}),
                &found
            ),
            json!({"link": {"url": "u", "accessed": null}, "n": [1, {}, {"url": "v", "accessed": null}]})
        );
    }
}
