//! Property test: load → validate → normalize → generate never panics, on
//! arbitrary mutations of real specs. Errors are fine (they are values);
//! a panic, in codegen or escaping from progenitor, fails the test with
//! the seed and the offending spec written to `target/fuzz-failures/`.
//!
//! A stack overflow or another abort cannot be caught, so before each
//! iteration its input is written to `target/fuzz-failures/current-seed<n>.yaml`
//! (overwritten every iteration, removed when the run ends cleanly): after
//! an abort that file is the spec that caused it (YAML or JSON, possibly
//! damaged, exactly as codegen read it).
//!
//! A deterministic mutator (no nightly, no extra crates): each iteration
//! takes a seed spec (every fixture and `spec/alakazam.yaml`), applies 1–8
//! structural mutations to its JSON value — delete a node, replace it with
//! a value of another type, graft a subtree elsewhere (which makes
//! recursion), sprinkle OpenAPI 3.0/3.1 keywords (`type` lists, `const`,
//! `nullable`, `$ref`s that dangle or loop, enums that collide, several
//! media types and responses), change the version — renders it as YAML or
//! JSON, and sometimes damages the text itself (bytes flipped, cut short).
//!
//! - CI runs `CODEGEN_FUZZ_ITERATIONS` (default 150) iterations.
//! - A long run: `CODEGEN_FUZZ_ITERATIONS=20000 cargo test --release -p
//!   codegen --test fuzz -- --nocapture` (a few minutes);
//!   `CODEGEN_FUZZ_SEED=<n>` picks another sequence, `CODEGEN_FUZZ_CORPUS=DIR`
//!   (relative to the workspace root) adds the specs of DIR, e.g.
//!   `../shared/corpus`, as seeds (then about 3 iterations a second: the
//!   GitHub spec is large).

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// splitmix64: small, fast, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seeds() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = vec![root().join("spec/alakazam.yaml")];
    let mut dirs = vec![root().join("codegen/tests/fixtures")];
    if let Some(extra) = std::env::var_os("CODEGEN_FUZZ_CORPUS") {
        // Relative to the workspace root (tests run in `codegen/`).
        dirs.push(root().join(extra));
    }
    for dir in dirs {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "json" || e == "yml")
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let spec = codegen::Spec::from_bytes(p.display().to_string(), &bytes).ok()?;
            Some((p.display().to_string(), spec.value().clone()))
        })
        .collect()
}

/// Pointers (as token lists) of every node.
fn nodes(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                at.push(k.clone());
                nodes(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(i.to_string());
                nodes(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut node = value;
    for t in path {
        node = match node {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(items) => items.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

const KEYWORDS: [&str; 24] = [
    "type",
    "enum",
    "const",
    "nullable",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "$ref",
    "default",
    "format",
    "discriminator",
    "examples",
    "exclusiveMinimum",
    "prefixItems",
    "content",
    "responses",
    "requestBody",
    "parameters",
    "operationId",
];

fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A random value that OpenAPI might (or might not) expect somewhere.
fn random_value(rng: &mut Rng, doc: &Value) -> Value {
    let names = component_names(doc);
    let some_ref = |rng: &mut Rng| match names.is_empty() || rng.chance(20) {
        true => json!({"$ref": "#/components/schemas/Nope"}),
        false => json!({"$ref": format!("#/components/schemas/{}", rng.pick(&names))}),
    };
    match rng.below(22) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-3),
        3 => json!(1e300),
        4 => json!(""),
        5 => json!("3.1.0"),
        6 => json!([]),
        7 => json!({}),
        8 => some_ref(rng),
        9 => json!({"type": ["string", "null"], "maxLength": 3}),
        10 => json!({"type": ["integer", "string", "null"]}),
        11 => json!({"type": "string", "enum": [".", "X", "x", "_", "-", "Add", "add"]}),
        12 => json!({"oneOf": [some_ref(rng), {"type": "null"}]}),
        13 => json!({"allOf": [some_ref(rng)], "nullable": true, "description": "d"}),
        14 => json!({"const": 7, "examples": [1, 2]}),
        15 => {
            json!({"type": "object", "properties": {"type": {"type": "string"}, "self": some_ref(rng)}, "required": ["type", "missing"]})
        }
        16 => {
            json!({"application/json": {"schema": some_ref(rng)}, "application/xml": {"schema": {"type": "object"}}, "text/csv": {}})
        }
        17 => {
            json!({"200": {"description": "a", "content": {"application/json": {"schema": some_ref(rng)}}},
                     "201": {"description": "b", "content": {"application/problem+json": {"schema": {"type": "integer"}}}},
                     "204": {"description": "c"},
                     "default": {"description": "d", "content": {"text/plain": {"schema": {"type": "string"}}}}})
        }
        18 => {
            json!({"name": "id", "in": rng.pick(&["path", "query", "header", "cookie", "body"]).to_string(), "schema": {"type": "array", "items": some_ref(rng)}})
        }
        19 => {
            json!({"type": "object", "additionalProperties": some_ref(rng), "exclusiveMinimum": 3})
        }
        20 => json!({"prefixItems": [{"type": "string"}], "if": {}, "then": {}}),
        _ => json!({"type": "string", "format": "binary", "nullable": true, "default": 5}),
    }
}

fn mutate(rng: &mut Rng, doc: &mut Value) {
    let mut all = Vec::new();
    nodes(doc, &mut Vec::new(), &mut all);
    let target = rng.pick(&all).clone();
    match rng.below(8) {
        // Delete the node.
        0 if !target.is_empty() => {
            let (last, parent) = target.split_last().unwrap();
            match get_mut(doc, parent) {
                Some(Value::Object(m)) => {
                    m.remove(last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        // Replace it.
        1 | 2 => {
            let v = random_value(rng, doc);
            if let Some(node) = get_mut(doc, &target) {
                *node = v;
            }
        }
        // Graft another subtree here (copies, and recursion through refs).
        3 => {
            let source = rng.pick(&all).clone();
            let copy = get_mut(doc, &source).map(|v| v.clone());
            if let (Some(copy), Some(node)) = (copy, get_mut(doc, &target)) {
                *node = copy;
            }
        }
        // Add a keyword to an object.
        4 | 5 => {
            let key = rng.pick(&KEYWORDS).to_string();
            let v = random_value(rng, doc);
            if let Some(Value::Object(m)) = get_mut(doc, &target) {
                m.insert(key, v);
            }
        }
        // Rename a key.
        6 => {
            let key = rng.pick(&KEYWORDS).to_string();
            if let Some((last, parent)) = target.split_last()
                && let Some(Value::Object(m)) = get_mut(doc, parent)
                && let Some(v) = m.remove(last)
            {
                m.insert(key, v);
            }
        }
        // The version.
        _ => {
            if let Value::Object(m) = doc {
                let v = rng.pick(&["3.0.3", "3.1.0", "3.1.1", "2.0", "3", "4.0.0"]);
                if rng.chance(10) {
                    m.insert("swagger".into(), json!("2.0"));
                } else {
                    m.insert("openapi".into(), json!(v));
                }
            }
        }
    }
}

/// The spec as text, sometimes damaged.
fn render(rng: &mut Rng, doc: &Value) -> Vec<u8> {
    let mut text = if rng.chance(50) {
        serde_yaml::to_string(doc).unwrap_or_default().into_bytes()
    } else {
        serde_json::to_vec_pretty(doc).unwrap_or_default()
    };
    if rng.chance(8) && !text.is_empty() {
        match rng.below(3) {
            0 => text.truncate(rng.below(text.len())),
            1 => {
                let i = rng.below(text.len());
                text[i] = rng
                    .pick(&[b'{', b'[', b':', b'-', b'"', b'\t', 0xff, b'&', b'*'])
                    .to_owned();
            }
            _ => {
                let i = rng.below(text.len());
                text.splice(i..i, b"\n  - &a [*a]\n".iter().copied());
            }
        }
    }
    text
}

#[test]
fn codegen_never_panics_on_mutated_specs() {
    let iterations: usize = std::env::var("CODEGEN_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("CODEGEN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let seeds = seeds();
    assert!(seeds.len() >= 5, "{}", seeds.len());
    let mut rng = Rng(seed);
    let (mut ok, mut rejected) = (0usize, 0usize);
    let dir = root().join("target/fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    // Per seed, so that runs of several seeds side by side keep theirs.
    let current = dir.join(format!("current-seed{seed}.yaml"));
    for i in 0..iterations {
        let (name, base) = rng.pick(&seeds).clone();
        let mut doc = base;
        for _ in 0..1 + rng.below(8) {
            mutate(&mut rng, &mut doc);
        }
        let bytes = render(&mut rng, &doc);
        // Left behind by an abort (stack overflow), which no hook sees.
        std::fs::write(&current, &bytes).unwrap();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            let spec = codegen::Spec::from_bytes("fuzz.yaml", &bytes)?;
            codegen::generate(&spec, &codegen::Settings::default())
        }));
        match outcome {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                // Rendering walks every diagnostic (and the source map).
                let shown = e.to_string();
                assert!(!shown.is_empty());
                assert!(!shown.contains("panicked"), "{shown}");
                rejected += 1;
            }
            Err(_) => {
                let file = dir.join(format!("seed{seed}-iteration{i}.txt"));
                std::fs::write(&file, &bytes).unwrap();
                panic!(
                    "iteration {i} (seed {seed}, from {name}) panicked; the spec is in {}",
                    file.display()
                );
            }
        }
    }
    std::fs::remove_file(&current).unwrap();
    eprintln!("fuzz: {iterations} iterations (seed {seed}): {ok} generated, {rejected} rejected");
}

#[test]
fn the_mutator_is_deterministic() {
    let seeds = seeds();
    let run = || {
        let mut rng = Rng(7);
        let mut doc = seeds[0].1.clone();
        for _ in 0..20 {
            mutate(&mut rng, &mut doc);
        }
        render(&mut rng, &doc)
    };
    assert_eq!(run(), run());
}
