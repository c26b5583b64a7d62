//! Values for a schema: the spec's own (`example`, `default`, `enum`) when
//! they validate, else synthesized to satisfy it (formats, bounds,
//! lengths, `pattern` through `rand_regex`, `minItems`, a branch of
//! `oneOf`/`anyOf` with its discriminator value), drawn again while the
//! validator rejects them, deterministic for a seed.
//!
//! Works on the normalized document as JSON (`serde_json::to_value` of
//! what `codegen::prepare` returns), the same tree the validator reads,
//! so `$ref`s resolve by JSON pointer.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use serde_json::{Map, Value, json};

use super::ecma::ecma;
use super::no_value::no_value;
use super::schema::Validators;

/// Which properties of an object to fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fill {
    /// Required properties only.
    Required,
    /// Every property (to a bounded depth: schemas may contain themselves).
    All,
}

/// From this depth on only required properties are filled and arrays stay
/// as short as allowed; past [`MAX_DEPTH`], only what ends recursion.
const OPTIONAL_DEPTH: usize = 3;
/// [`OPTIONAL_DEPTH`] of the draws made again because the validator
/// rejected a value: members of a `oneOf` that differ only deep down
/// (datadog's topology map, whose two members differ in
/// `requests[].query.data_source`) match both while that part is left out.
const DEEPER: usize = 7;
const MAX_DEPTH: usize = 12;

/// Synthesizes values from the schemas of one document.
pub(crate) struct Synth<'a> {
    doc: &'a Value,
    rng: Pcg64,
    /// Whether values go into a request (readOnly properties left out) or
    /// stand for any instance (round trips: writeOnly ones kept too).
    request: bool,
    /// Whether a schema's own `example` is taken where there is one, at any
    /// depth (a retry, for values that synthesis alone gets wrong).
    examples: bool,
    /// From which depth on optional parts are left out.
    optional_depth: usize,
    /// Whether an object drawn for a member of a `oneOf` gets properties
    /// the other members refuse ([`Synth::set_apart`]).
    set_apart: bool,
}

/// How many values [`Synth::spec_or_synth`] makes before it gives up on
/// one the validator accepts.
const TRIES: usize = 6;

impl<'a> Synth<'a> {
    /// A synthesizer seeded by `seed` and `salt` (say, the operation and
    /// the case), so that one case's values do not depend on the others.
    pub(crate) fn new(doc: &'a Value, seed: u64, salt: &str, request: bool) -> Self {
        Synth {
            doc,
            rng: Pcg64::seed_from_u64(seed ^ fnv(salt)),
            request,
            examples: false,
            optional_depth: OPTIONAL_DEPTH,
            set_apart: false,
        }
    }

    /// The value for `schema`: the spec's example or default when the
    /// validator accepts it, else a synthesized one.
    pub(crate) fn spec_or_synth(
        &mut self,
        schema: &Value,
        examples: &[&Value],
        fill: Fill,
        validators: &mut Validators,
    ) -> Value {
        let resolved = self.resolve(schema);
        let mut candidates: Vec<&Value> = examples.to_vec();
        candidates.extend(
            ["example", "default"]
                .iter()
                .filter_map(|k| resolved.get(*k)),
        );
        for c in candidates {
            if !c.is_null() && validators.accepts(schema, c) {
                // The spec's example fills every field it has; for the
                // required-only case synthesize instead when it is an
                // object with more than its required fields.
                if fill == Fill::All || !c.is_object() {
                    return c.clone();
                }
            }
        }
        // A `oneOf` whose members overlap (`integer` beside `number`), or
        // objects that match several members when only their required
        // fields (or only their shallow ones) are set: draw again,
        // alternately with the examples the schemas carry and with
        // optional parts filled deeper, objects of a `oneOf` member set
        // apart from the others, until the validator accepts the value.
        let mut first = None;
        for attempt in 0..TRIES {
            self.examples = attempt % 2 == 1;
            self.set_apart = attempt > 0;
            if attempt % 2 == 0 && attempt > 0 {
                self.optional_depth = DEEPER;
            }
            let v = self.value(schema, fill, 0);
            self.examples = false;
            self.set_apart = false;
            self.optional_depth = OPTIONAL_DEPTH;
            if validators.accepts(schema, &v) {
                return v;
            }
            first.get_or_insert(v);
        }
        let first = first.unwrap_or(Value::Null);
        prune(schema, first.clone(), validators).unwrap_or(first)
    }

    /// A synthesized value for `schema`.
    pub(crate) fn value(&mut self, schema: &Value, fill: Fill, depth: usize) -> Value {
        if self.examples
            && let Some(example) = schema
                .get("example")
                .or_else(|| self.resolve(schema).get("example"))
                .filter(|e| !e.is_null())
        {
            return example.clone();
        }
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return self.minimal(schema);
        }
        if let Some(Value::Array(listed)) = schema.get("enum") {
            let values: Vec<&Value> = listed.iter().filter(|v| !v.is_null()).collect();
            if !values.is_empty() {
                let i = self.rng.random_range(0..values.len());
                return values[i].clone();
            }
            // `enum: [null]`: null is the one value (the type is `()`).
            if !listed.is_empty() {
                return Value::Null;
            }
        }
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            return self.all_of(schema, parts, fill, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = schema.get(key)
                && !branches.is_empty()
            {
                return self.branch(schema, branches, fill, depth);
            }
        }
        match type_of(schema) {
            "string" => self.string(schema),
            "integer" => self.integer(schema),
            "number" => self.number(schema),
            "boolean" => Value::Bool(self.rng.random()),
            "array" => self.array(schema, fill, depth),
            "object" => self.object(schema, fill, depth),
            // `{}`: anything; a string is the plainest instance.
            _ => Value::String(self.word()),
        }
    }

    /// `$ref`s followed (bounded: a `$ref` to a `$ref` to …).
    pub(crate) fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.doc.pointer(p)) {
                    Some(target) => schema = target,
                    None => return &Value::Null,
                },
                None => return schema,
            }
        }
        schema
    }

    /// The smallest value a schema allows, to end recursion.
    fn minimal(&mut self, schema: &Value) -> Value {
        match type_of(schema) {
            "array" => Value::Array(Vec::new()),
            "object" => Value::Object(Map::new()),
            _ => self.value(schema, Fill::Required, OPTIONAL_DEPTH),
        }
    }

    /// An `allOf` as one object schema: the properties, `required` names
    /// and `additionalProperties` of every part (and of the schema beside
    /// it) together, so that a name one part requires takes its type from
    /// the part that defines it. Parts that are not object schemas (a
    /// `oneOf`, a scalar) give their own value.
    fn all_of(&mut self, schema: &Value, parts: &[Value], fill: Fill, depth: usize) -> Value {
        let mut merged = Map::new();
        let mut others = Vec::new();
        let objects = self.collect_object(schema, &mut merged, &mut others, 0);
        let mut out = if objects {
            self.object(&Value::Object(merged), fill, depth)
        } else {
            Value::Null
        };
        let mut scalar = None;
        for part in others {
            // Every part must hold: an enum's value is one of its
            // values, a plain `type: string` beside it is any string, and
            // a part that says no type (lago's `lago_customer_id`, a
            // `type: 'null'` lowered to any value beside a UUID) takes
            // whatever the others give.
            let resolved = self.resolve(&part);
            let rank = if resolved.get("enum").is_some() {
                2
            } else if type_of(resolved).is_empty() {
                0
            } else {
                1
            };
            match (self.value(&part, fill, depth + 1), &mut out) {
                (Value::Object(fields), Value::Object(out)) => {
                    for (k, v) in fields {
                        out.entry(k).or_insert(v);
                    }
                }
                (Value::Object(fields), out @ Value::Null) => *out = Value::Object(fields),
                (v, _) => match &scalar {
                    Some((kept, _)) if *kept >= rank => {}
                    _ => scalar = Some((rank, v)),
                },
            }
        }
        // Several parts that list values (intercom's conversation
        // attribute: the base's `data_type` enum of every type beside the
        // boolean request's `[boolean]`): the value is one they all list.
        let lists: Vec<&Vec<Value>> = parts
            .iter()
            .filter_map(|p| self.resolve(p).get("enum").and_then(Value::as_array))
            .collect();
        if lists.len() > 1 {
            let shared: Vec<&Value> = lists[0]
                .iter()
                .filter(|v| !v.is_null() && lists.iter().all(|l| l.contains(v)))
                .collect();
            if !shared.is_empty() {
                let i = self.rng.random_range(0..shared.len());
                scalar = Some((2, shared[i].clone()));
            }
        }
        let scalar = scalar.map(|(_, v)| v);
        match (out, scalar) {
            (Value::Null, Some(v)) => v,
            (Value::Null, None) if parts.is_empty() => Value::Object(Map::new()),
            (Value::Null, None) => self.value(&parts[0], fill, depth + 1),
            (out, _) => out,
        }
    }

    /// Adds what `schema` says of an object to `merged` (through its own
    /// `allOf`, to a bounded depth); the parts that say something else go
    /// to `others`. True when `schema` says anything of an object.
    fn collect_object(
        &self,
        schema: &Value,
        merged: &mut Map<String, Value>,
        others: &mut Vec<Value>,
        level: usize,
    ) -> bool {
        let schema = self.resolve(schema);
        let mut object = false;
        if let Some(Value::Object(properties)) = schema.get("properties") {
            object = true;
            let into = merged
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(into) = into {
                for (k, v) in properties {
                    // Defined by two parts: a value must satisfy both.
                    match into.get_mut(k) {
                        Some(existing) if existing != v => {
                            *existing = serde_json::json!({"allOf": [existing.clone(), v.clone()]});
                        }
                        Some(_) => {}
                        None => {
                            into.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
        }
        if let Some(Value::Array(names)) = schema.get("required") {
            object = true;
            let into = merged
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(into) = into {
                for n in names {
                    if !into.contains(n) {
                        into.push(n.clone());
                    }
                }
            }
        }
        for key in ["additionalProperties", "minProperties"] {
            if let Some(v) = schema.get(key) {
                object = true;
                merged.entry(key).or_insert_with(|| v.clone());
            }
        }
        if let Some(Value::Array(parts)) = schema.get("allOf")
            && level < MAX_DEPTH
        {
            for part in parts {
                let resolved = self.resolve(part);
                let composite = ["oneOf", "anyOf", "enum"]
                    .iter()
                    .any(|k| resolved.get(*k).is_some());
                if !composite && self.collect_object(part, merged, others, level + 1) {
                    object = true;
                } else {
                    others.push(part.clone());
                }
            }
        }
        object || type_of(schema) == "object"
    }

    fn branch(&mut self, schema: &Value, branches: &[Value], fill: Fill, depth: usize) -> Value {
        let i = self.rng.random_range(0..branches.len());
        let chosen = &branches[i];
        // Properties and `required` beside the `oneOf` hold for every
        // member (GitHub's check run: `name` beside two status members).
        let beside = ["properties", "required"]
            .iter()
            .any(|k| schema.get(*k).is_some());
        let mut value = if beside {
            let mut parent = schema.clone();
            if let Some(o) = parent.as_object_mut() {
                o.remove("oneOf");
                o.remove("anyOf");
                o.remove("discriminator");
            }
            self.value(&json!({"allOf": [parent, chosen]}), fill, depth + 1)
        } else {
            self.value(chosen, fill, depth + 1)
        };
        if let (Some(d), Value::Object(fields)) = (schema.get("discriminator"), &mut value)
            && let Some(property) = d.get("propertyName").and_then(Value::as_str)
            && let Some((tag, mapped)) = discriminator_value(d, chosen)
        {
            // Without a `mapping`, the implied tag is the schema's name; a
            // member whose property lists its own values (`type: {enum:
            // [text]}` in together's `ResponseFormatText`) is taken at its
            // word: that is what validates, and what the server sends.
            let listed = self.resolve(chosen)["properties"][property]
                .get("enum")
                .is_some();
            if mapped || !listed {
                fields.insert(property.to_owned(), Value::String(tag));
            }
        }
        if self.set_apart
            && schema.get("oneOf").is_some()
            && let Value::Object(fields) = &mut value
        {
            self.set_apart(branches, i, fields);
        }
        value
    }

    /// Adds to `fields`, an object drawn for member `i` of a `oneOf`, for
    /// every other member, a property that member declares and member `i`
    /// leaves open, with a value of a type that member refuses there.
    /// datadog's `WildcardWidgetRequest` is a `oneOf` of four open request
    /// objects that accept each other's fields: only such a property makes
    /// an object match exactly one of them. The generated types keep it
    /// (an open object's `extra_fields`), and a member's struct refuses it
    /// where the member declares it, so it also decodes as its member.
    fn set_apart(&self, branches: &[Value], i: usize, fields: &mut Map<String, Value>) {
        let chosen = self.resolve(&branches[i]);
        if chosen.get("additionalProperties") == Some(&Value::Bool(false))
            || chosen.get("patternProperties").is_some()
        {
            return;
        }
        let declared = |schema: &Value, name: &str| schema["properties"].get(name).is_some();
        for (j, other) in branches.iter().enumerate() {
            if j == i {
                continue;
            }
            let Some(Value::Object(properties)) = self.resolve(other).get("properties") else {
                continue;
            };
            for (name, property) in properties {
                if declared(chosen, name) || fields.contains_key(name) {
                    continue;
                }
                if let Some(refused) = refused(self.resolve(property)) {
                    fields.insert(name.clone(), refused);
                    break;
                }
            }
        }
    }

    fn string(&mut self, schema: &Value) -> Value {
        let min = usize_of(schema, "minLength").unwrap_or(0);
        let max = usize_of(schema, "maxLength");
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
            && let Some(s) = self.matching(pattern, min, max)
        {
            return Value::String(s);
        }
        let n = self.rng.random_range(0..u32::MAX);
        let s = match schema.get("format").and_then(Value::as_str).unwrap_or("") {
            "uuid" => uuid(&mut self.rng),
            "date-time" => format!(
                "2024-{:02}-{:02}T{:02}:04:05Z",
                n % 12 + 1,
                n % 28 + 1,
                n % 24
            ),
            "date" => format!("2024-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
            "time" => format!("{:02}:04:05Z", n % 24),
            "email" => format!("user{}@example.com", n % 1000),
            "uri" | "url" | "uri-reference" => format!("https://example.com/r/{}", n % 1000),
            "hostname" => format!("host{}.example.com", n % 1000),
            "ipv4" => format!("192.0.2.{}", n % 250 + 1),
            "ipv6" => format!("2001:db8::{:x}", n % 0xffff + 1),
            "ip" if n % 2 == 0 => format!("192.0.2.{}", n % 250 + 1),
            "ip" => format!("2001:db8::{:x}", n % 0xffff + 1),
            "byte" => "aGVsbG8=".to_owned(),
            // ISO 8601, as ajv-formats (Prism) checks `duration`.
            "duration" => format!("P{}DT{}H", n % 30 + 1, n % 24),
            _ => self.word(),
        };
        Value::String(fit_length(s, min, max))
    }

    /// A string matching `pattern` within the length bounds, if one of a
    /// few tries gives one. JavaScript regexes the Rust syntax does not
    /// know (lookaround) give none.
    fn matching(&mut self, pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
        let repeat = max.map_or(8, |m| m.clamp(1, 64) as u32);
        // rand_regex generates no anchors; a whole match satisfies them.
        let core = pattern.strip_prefix('^').unwrap_or(pattern);
        let core = core
            .strip_suffix('$')
            .filter(|c| !c.ends_with('\\'))
            .unwrap_or(core);
        let regex = rand_regex::Regex::compile(&ecma(core), repeat).ok()?;
        for _ in 0..32 {
            let s: String = self.rng.sample(&regex);
            let len = s.chars().count();
            if len >= min && max.is_none_or(|m| len <= m) {
                return Some(s);
            }
        }
        None
    }

    fn integer(&mut self, schema: &Value) -> Value {
        let exclusive = |k: &str| schema.get(k).and_then(Value::as_bool).unwrap_or(false);
        let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
        let mut low = bound("minimum").map_or(1, |m| m.ceil() as i64);
        let mut high = bound("maximum").map_or(low.saturating_add(100), |m| m.floor() as i64);
        if exclusive("exclusiveMinimum") {
            low = low.saturating_add(1);
        }
        if exclusive("exclusiveMaximum") {
            high = high.saturating_sub(1);
        }
        if schema.get("format").and_then(Value::as_str) == Some("int32") {
            high = high.min(i64::from(i32::MAX));
        }
        if bound("maximum").is_some() && bound("minimum").is_none() {
            low = high.saturating_sub(100).min(high);
        }
        if high < low {
            return json!(low);
        }
        let mut v = self.rng.random_range(low..=high);
        if let Some(m) = schema
            .get("multipleOf")
            .and_then(Value::as_i64)
            .filter(|m| *m > 0)
        {
            v = (v / m) * m;
            if v < low {
                v = v.saturating_add(m);
            }
        }
        json!(v)
    }

    fn number(&mut self, schema: &Value) -> Value {
        if let Some(step) = schema.get("multipleOf").and_then(Value::as_f64) {
            return self.multiple(schema, step);
        }
        let low = schema.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
        let high = schema
            .get("maximum")
            .and_then(Value::as_f64)
            .unwrap_or(low + 100.0);
        if high <= low {
            return json!(low);
        }
        // Strictly inside, so exclusive bounds hold too.
        let t: f64 = self.rng.random_range(0.1..0.9);
        json!(low + (high - low) * t)
    }

    /// A number that is `k` times `step` within the bounds. A fractional
    /// step (growthbook's quantile: `multipleOf: 0.001` between 0.001 and
    /// 0.999) has no integer inside the bounds, so the multiple is counted
    /// in steps; it is written with the step's decimals and kept only when
    /// dividing by the step gives a whole number in floating point, which
    /// is how ajv (Prism) and the validator check `multipleOf`.
    fn multiple(&mut self, schema: &Value, step: f64) -> Value {
        if !(step.is_finite() && step > 0.0) {
            return self.integer(schema);
        }
        let exclusive = |k: &str| schema.get(k).and_then(Value::as_bool).unwrap_or(false);
        let low = schema.get("minimum").and_then(Value::as_f64);
        let high = schema.get("maximum").and_then(Value::as_f64);
        let mut first = low.map_or(1.0, |l| (l / step).ceil());
        if exclusive("exclusiveMinimum") && low.is_some_and(|l| first * step <= l) {
            first += 1.0;
        }
        let mut last = high.map_or(first + 100.0, |h| (h / step).floor());
        if exclusive("exclusiveMaximum") && high.is_some_and(|h| last * step >= h) {
            last -= 1.0;
        }
        if low.is_none() && high.is_some() {
            first = last - 100.0;
        }
        let decimals = step.to_string().split_once('.').map_or(0, |(_, d)| d.len());
        let at = |k: f64| -> f64 {
            format!("{:.decimals$}", k * step)
                .parse()
                .unwrap_or(k * step)
        };
        let span = (last - first).clamp(0.0, 1e9) as u64;
        let mut chosen = at(first);
        for _ in 0..16 {
            let k = first + self.rng.random_range(0..=span) as f64;
            let v = at(k);
            if (v / step).fract() == 0.0 {
                chosen = v;
                break;
            }
        }
        // A whole number is written as one (`5`, not `5.0`), as the
        // integer path did before.
        if chosen.fract() == 0.0 && chosen.abs() < 9.0e15 {
            return json!(chosen as i64);
        }
        json!(chosen)
    }

    fn array(&mut self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let min = usize_of(schema, "minItems").unwrap_or(0);
        let max = usize_of(schema, "maxItems").unwrap_or(usize::MAX);
        let wanted = match fill {
            _ if depth >= self.optional_depth => 0,
            Fill::Required => 1,
            Fill::All => 2,
        };
        let items = schema.get("items").unwrap_or(&Value::Null);
        // Items no value satisfies: as few as allowed.
        let wanted = if no_value(self.doc, items).is_some() {
            0
        } else {
            wanted
        };
        let n = wanted.clamp(min, max.max(min));
        let unique = schema.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        let mut out: Vec<Value> = Vec::with_capacity(n);
        for _ in 0..n.saturating_mul(8) {
            if out.len() == n {
                break;
            }
            let v = self.value(items, fill, depth + 1);
            if !unique || !out.contains(&v) {
                out.push(v);
            }
        }
        Value::Array(out)
    }

    fn object(&mut self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (name, property) in properties {
                let is_required = required.contains(&name.as_str());
                let wanted = is_required || (fill == Fill::All && depth < self.optional_depth);
                let resolved = self.resolve(property);
                let read_only = resolved.get("readOnly").and_then(Value::as_bool) == Some(true);
                if !wanted || (self.request && read_only && !is_required) {
                    continue;
                }
                // An optional property no value satisfies (getstream's
                // `SharedLocation` beside others) is one nobody can send.
                if !is_required && no_value(self.doc, property).is_some() {
                    continue;
                }
                out.insert(name.clone(), self.value(property, fill, depth + 1));
            }
        }
        let additional = schema.get("additionalProperties");
        // A required name with no property schema: any value will do,
        // unless additionalProperties says which.
        for name in &required {
            if !out.contains_key(*name) {
                let v = match additional.filter(|a| a.is_object()) {
                    Some(extra) => self.value(extra, fill, depth + 1),
                    None => Value::String(self.word()),
                };
                out.insert((*name).to_owned(), v);
            }
        }
        let min = usize_of(schema, "minProperties").unwrap_or(0);
        let extra_wanted = fill == Fill::All && depth < self.optional_depth && out.is_empty();
        if let Some(extra) = additional.filter(|a| a.is_object())
            && (extra_wanted || out.len() < min)
        {
            let mut i = 0;
            while out.len() < min.max(1) {
                i += 1;
                let v = self.value(extra, fill, depth + 1);
                out.insert(format!("key{i}"), v);
            }
        }
        Value::Object(out)
    }

    fn word(&mut self) -> String {
        const WORDS: [&str; 8] = [
            "nova", "orbit", "lumen", "quartz", "ember", "tide", "sable", "zephyr",
        ];
        let i = self.rng.random_range(0..WORDS.len());
        WORDS[i].to_owned()
    }
}

/// `value` without the parts the validator rejects, where leaving them out
/// is allowed: the value a violation is about, or the nearest part holding
/// it that the schema lets go (an optional property, an array item beyond
/// `minItems`), as the validator judges. bigcommerce's `conditions`, an
/// array of a `oneOf` whose members both take every object, is sent empty.
/// `None` when no such part is found.
fn prune(schema: &Value, mut value: Value, validators: &mut Validators) -> Option<Value> {
    for _ in 0..PRUNES {
        let places = validators.error_places(schema, &value)?;
        let Some(place) = places.first() else {
            return Some(value);
        };
        let before = places.len();
        let tokens: Vec<String> = place
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        // The deepest part first: it loses least.
        let pruned = (1..=tokens.len()).rev().find_map(|n| {
            let mut candidate = value.clone();
            remove_at(&mut candidate, &tokens[..n])?;
            let after = validators.error_places(schema, &candidate)?;
            (after.len() < before && !after.contains(place)).then_some(candidate)
        })?;
        value = pruned;
    }
    validators.accepts(schema, &value).then_some(value)
}

/// Violations [`prune`] clears at most, one part each.
const PRUNES: usize = 8;

/// Removes the part at `tokens` (a JSON pointer's), if there is one.
fn remove_at(value: &mut Value, tokens: &[String]) -> Option<()> {
    let (last, parents) = tokens.split_last()?;
    let mut at = value;
    for t in parents {
        at = match at {
            Value::Object(o) => o.get_mut(t)?,
            Value::Array(items) => items.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match at {
        Value::Object(o) => o.remove(last).map(|_| ()),
        Value::Array(items) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < items.len())?;
            items.remove(i);
            Some(())
        }
        _ => None,
    }
}

/// The discriminator value that selects `branch`, and whether `mapping`
/// gave it: its key there, else the name of the schema it refers to.
fn discriminator_value(discriminator: &Value, branch: &Value) -> Option<(String, bool)> {
    let reference = branch.get("$ref").and_then(Value::as_str)?;
    if let Some(Value::Object(mapping)) = discriminator.get("mapping") {
        for (tag, target) in mapping {
            let target = target.as_str().unwrap_or_default();
            if target == reference || reference.rsplit('/').next() == Some(target) {
                return Some((tag.clone(), true));
            }
        }
    }
    reference
        .rsplit('/')
        .next()
        .map(|name| (name.to_owned(), false))
}

/// A value `schema` refuses whatever else it says: one of another type
/// than its own, or none when it names no type (an untyped schema with
/// `properties` takes a string).
fn refused(schema: &Value) -> Option<Value> {
    match schema.get("type").and_then(Value::as_str)? {
        "string" => Some(json!(0)),
        "integer" | "number" | "boolean" | "array" | "object" => {
            Some(Value::String("set-apart".to_owned()))
        }
        _ => None,
    }
}

/// The schema's `type`, or what its keywords imply.
pub(crate) fn type_of(schema: &Value) -> &str {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return t;
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        "object"
    } else if schema.get("items").is_some() {
        "array"
    } else {
        ""
    }
}

fn usize_of(schema: &Value, key: &str) -> Option<usize> {
    schema
        .get(key)
        .and_then(Value::as_u64)
        .map(|n| usize::try_from(n.min(1 << 16)).unwrap_or(1 << 16))
}

/// `s` padded with `x` or cut to the length bounds.
fn fit_length(mut s: String, min: usize, max: Option<usize>) -> String {
    while s.chars().count() < min {
        s.push('x');
    }
    if let Some(max) = max
        && s.chars().count() > max
    {
        s = s.chars().take(max).collect();
    }
    s
}

fn uuid(rng: &mut Pcg64) -> String {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// FNV-1a: a stable hash (std's is randomized per process).
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
