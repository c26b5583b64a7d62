//! The harness crate: the generated client plus a `main.rs` that calls
//! every operation with the arguments of a cases file and decodes every
//! response with the generated types.
//!
//! The generated code is read back with syn for what the harness must
//! name: each operation's builder method (found by the `Sends a `METHOD`
//! request to `/path`` line of its `send()`), its setters and their types,
//! and its success type. Values are not Rust literals: the cases file
//! holds JSON and the harness `serde_json::from_value`s it into the
//! setter's type, so a value the generated type cannot hold is reported,
//! and the harness compiles once per spec whatever the seed.
//!
//! The generated code goes into the harness crate itself (not a library it
//! depends on), which builds its `Client` with `ClientBuilder::build_for`
//! (through the `runtime::GeneratedClient` impl the generator writes).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::{FnArg, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

use crate::scratch::{self, Cargo};
use crate::{Failure, workspace};

/// One setter of an operation's builder.
#[derive(Clone, Debug)]
pub(crate) struct Setter {
    pub name: String,
    /// The setter's parameter type (`impl Into<T>`: `T`), as Rust source.
    pub ty: String,
}

/// What the harness knows of one operation.
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    pub method: String,
    pub path: String,
    /// `client.<method>()`.
    pub builder: String,
    pub setters: Vec<Setter>,
    /// `send()`'s success type.
    pub response: String,
    /// The builder struct (`StreamReply`).
    pub builder_type: String,
    /// The calls beside `send()` (`send_events`, `send_bytes`) with their
    /// success types: each is made too.
    pub more_calls: Vec<(String, String)>,
    /// The operation's `errors::<Name>` enum and the documented 4xx status
    /// (with a body, and not one the client retries) that the harness asks
    /// Prism for (`Prefer: code=…`) to decode its body by status.
    pub error_check: Option<(String, u16)>,
    /// The page type of `pages()`, on an operation that pages: the
    /// harness walks two pages, so the mock judges the request the
    /// runtime makes for the next one.
    pub pages: Option<String>,
}

/// The generated client, read back.
#[derive(Clone, Debug, Default)]
pub(crate) struct Client {
    pub operations: Vec<Operation>,
    /// Names of the items of `mod types`.
    pub types: BTreeSet<String>,
}

#[cfg(test)]
impl Operation {
    /// An operation of builder `p` (`P`) with these setters, untyped, and
    /// no other call: what the tests of the contract's judges need.
    pub(crate) fn for_test(method: &str, path: &str, setters: &[&str]) -> Operation {
        Operation {
            method: method.to_owned(),
            path: path.to_owned(),
            builder: "p".to_owned(),
            setters: setters
                .iter()
                .map(|name| Setter {
                    name: (*name).to_owned(),
                    ty: String::new(),
                })
                .collect(),
            response: "()".to_owned(),
            builder_type: "P".to_owned(),
            more_calls: Vec::new(),
            error_check: None,
            pages: None,
        }
    }
}

impl Client {
    pub(crate) fn find(&self, method: &str, path: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.method.eq_ignore_ascii_case(method) && o.path == path)
    }
}

/// Reads the operations and types out of generated code.
pub(crate) fn read(code: &str) -> Result<Client, Failure> {
    let file = syn::parse_file(code)
        .map_err(|e| Failure::new(format!("error: the generated code does not parse: {e}")))?;
    let mut client = Client::default();
    let mut builders: Vec<(String, String)> = Vec::new();
    let mut errors: Vec<(String, Option<u16>)> = Vec::new();
    for item in &file.items {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, "Client") => {
                for f in imp.items.iter().filter_map(fn_of) {
                    if let ReturnType::Type(_, ty) = &f.sig.output
                        && let Some(b) = last_segment(ty)
                    {
                        builders.push((b, f.sig.ident.to_string()));
                    }
                }
            }
            Item::Mod(m) if m.ident == "errors" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    if let Item::Enum(e) = item {
                        errors.push((e.ident.to_string(), checkable_status(e)));
                    }
                }
            }
            Item::Mod(m) if m.ident == "types" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    let name = match item {
                        Item::Struct(s) => s.ident.to_string(),
                        Item::Enum(e) => e.ident.to_string(),
                        Item::Type(t) => t.ident.to_string(),
                        _ => continue,
                    };
                    client.types.insert(name);
                }
            }
            _ => {}
        }
    }
    let Some(module) = file.items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return Ok(client);
    };
    for item in module {
        let Item::Impl(imp) = item else { continue };
        let Some(name) = last_segment(&imp.self_ty) else {
            continue;
        };
        let Some((_, method)) = builders.iter().find(|(b, _)| *b == name) else {
            continue;
        };
        let mut op = Operation {
            method: String::new(),
            path: String::new(),
            builder: method.clone(),
            setters: Vec::new(),
            response: "()".to_owned(),
            builder_type: name.clone(),
            more_calls: Vec::new(),
            error_check: None,
            pages: None,
        };
        for f in imp.items.iter().filter_map(fn_of) {
            if f.sig.ident == "send" {
                if let Some((m, p)) = sends(f) {
                    op.method = m;
                    op.path = p;
                }
                if let Some(t) = success_type(&f.sig.output) {
                    op.response = t;
                }
            } else if f.sig.ident == "pages" && f.sig.inputs.len() == 1 {
                op.pages = page_type(&f.sig.output);
            } else if f.sig.ident.to_string().starts_with("send_") {
                if let Some(t) = success_type(&f.sig.output) {
                    op.more_calls.push((f.sig.ident.to_string(), t));
                }
            } else if let Some(ty) = setter_type(f) {
                op.setters.push(Setter {
                    name: f.sig.ident.to_string(),
                    ty,
                });
            }
        }
        // `errors::<Name>` is named like the builder, which may have had
        // `Operation` appended to stay clear of a name in scope.
        op.error_check = errors
            .iter()
            .find(|(e, _)| *e == name || Some(e.as_str()) == name.strip_suffix("Operation"))
            .and_then(|(e, status)| Some((e.clone(), (*status)?)));
        if !op.method.is_empty() {
            client.operations.push(op);
        }
    }
    Ok(client)
}

/// The first `StatusNNN(T)` variant of an `errors::` enum with a 4xx
/// code the client does not retry (408, 409 and 429 would be sent again).
fn checkable_status(e: &syn::ItemEnum) -> Option<u16> {
    e.variants.iter().find_map(|v| {
        let code: u16 = v.ident.to_string().strip_prefix("Status")?.parse().ok()?;
        let has_body = matches!(&v.fields, syn::Fields::Unnamed(f) if f.unnamed.len() == 1);
        ((400..500).contains(&code) && ![408, 409, 429].contains(&code) && has_body).then_some(code)
    })
}

fn fn_of(item: &ImplItem) -> Option<&syn::ImplItemFn> {
    match item {
        ImplItem::Fn(f) => Some(f),
        _ => None,
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s == name)
}

fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `(METHOD, /path)` from "Sends a `PATCH` request to `/v1/x/{id}`".
fn sends(f: &syn::ImplItemFn) -> Option<(String, String)> {
    f.attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else {
            return None;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
        else {
            return None;
        };
        let text = s.value();
        let rest = text.split("Sends a `").nth(1)?;
        let (method, rest) = rest.split_once("` request to `")?;
        let (path, _) = rest.split_once('`')?;
        Some((method.to_owned(), path.to_owned()))
    })
}

/// `T` of `value: impl Into<T>`, the one parameter of a setter.
fn setter_type(f: &syn::ImplItemFn) -> Option<String> {
    let inputs: Vec<&FnArg> = f.sig.inputs.iter().collect();
    let [FnArg::Receiver(_), FnArg::Typed(arg)] = inputs.as_slice() else {
        return None;
    };
    let syn::Pat::Ident(pat) = &*arg.pat else {
        return None;
    };
    if pat.ident != "value" {
        return None;
    }
    let Type::ImplTrait(imp) = &*arg.ty else {
        return None;
    };
    imp.bounds.iter().find_map(|b| {
        let syn::TypeParamBound::Trait(t) = b else {
            return None;
        };
        let last = t.path.segments.last()?;
        if last.ident != "Into" {
            return None;
        }
        first_type_argument(&last.arguments).map(rust)
    })
}

/// `T` of `Result<ResponseValue<T>, Error>`.
fn success_type(output: &ReturnType) -> Option<String> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(p) = &**ty else { return None };
    let result = p.path.segments.last()?;
    let Some(Type::Path(value)) = first_type_argument(&result.arguments) else {
        return None;
    };
    first_type_argument(&value.path.segments.last()?.arguments).map(rust)
}

/// `T` of `Pages<'a, T>`.
fn page_type(output: &ReturnType) -> Option<String> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(p) = &**ty else { return None };
    let pages = p.path.segments.last()?;
    if pages.ident != "Pages" {
        return None;
    }
    first_type_argument(&pages.arguments).map(rust)
}

fn first_type_argument(args: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(a) = args else {
        return None;
    };
    a.args.iter().find_map(|g| match g {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// A type as source for the harness: `super::` (the generated module, seen
/// from `builder`) becomes `crate::generated::`.
fn rust(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    // `types::…` resolves through calls.rs's `use crate::generated::types`.
    text.replace("super :: ", "crate :: generated :: ")
}

/// Whether a setter of this type takes raw bytes rather than JSON.
fn is_raw(ty: &str) -> bool {
    ty.contains("reqwest") || ty.contains("ByteStream")
}

/// Whether a success type is decoded from JSON by the runtime.
fn is_json(ty: &str) -> bool {
    !(ty == "()"
        || is_raw(ty)
        || ty.contains("Upgraded")
        || ty.contains("EventStream")
        || ty.contains("Bytes"))
}

/// The harness's `src/calls.rs`: one `call_N` per operation, `dispatch`
/// by operationId, and `round_trip` by schema name.
pub(crate) fn calls(ops: &[(String, &Operation)], schemas: &[(String, String)]) -> String {
    let mut out = String::from(
        "//! Written by `cargo xtask contract` (xtask/src/contract/harness.rs).\n\
         use crate::support::*;\n\
         use crate::generated::{types, Client};\n\
         use serde_json::{Map, Value};\n\n",
    );
    for (i, (_, op)) in ops.iter().enumerate() {
        // The builder is made once per call (a raw body is used up).
        let _ = writeln!(
            out,
            "fn build_{i}<'a>(client: &'a Client, args: &Map<String, Value>) -> Result<crate::generated::builder::{}<'a>, Failure> {{",
            op.builder_type
        );
        let _ = writeln!(
            out,
            "    #[allow(unused_mut)]\n    let mut b = client.{}();",
            op.builder
        );
        for s in &op.setters {
            let value = if is_raw(&s.ty) {
                "raw(v)".to_owned()
            } else {
                format!("arg::<{}>(v, {:?})?", s.ty, s.name)
            };
            let _ = writeln!(
                out,
                "    if let Some(v) = args.get({:?}) {{ b = b.{}({value}); }}",
                s.name, s.name
            );
        }
        out.push_str("    Ok(b)\n}\n\n");
        let _ = writeln!(
            out,
            "async fn call_{i}(client: &Client, args: &Map<String, Value>) -> Result<(), Failure> {{"
        );
        let calls = std::iter::once(("send", op.response.as_str()))
            .chain(op.more_calls.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        for (call, response) in calls {
            let explain = if is_json(response) {
                format!("explain::<{response}>")
            } else {
                "no_explain".to_owned()
            };
            // A stream is read to its end: an item that fails is a failure.
            let read = if response.contains("EventStream") {
                "drain_events(r.into_inner()).await?"
            } else if response.contains("ByteStream") {
                "drain_bytes(r.into_inner()).await?"
            } else {
                "drop(r)"
            };
            let _ = writeln!(
                out,
                "    match build_{i}(client, args)?.{call}().await {{ Ok(r) => {{ {read}; }} Err(e) => return Err(classify(&e, {explain})) }}"
            );
        }
        if let Some((errors, status)) = &op.error_check {
            // The documented error, as Prism makes it up for that status:
            // it must decode as the schema documented for the status.
            let _ = writeln!(
                out,
                "    let asked = alakazam_client::runtime::RequestOptions::new().header(\"prefer\", \"code={status}\");\n    if let Err(e) = build_{i}(client, args)?.options(asked).send().await {{ if e.status().map(|s| s.as_u16()) == Some({status}) {{ if let Some(Err(why)) = e.typed_body::<crate::generated::errors::{errors}>() {{ return Err(error_undecoded(&e, {status}, \"{errors}\", &why)); }} }} }}"
            );
        }
        if let Some(page) = &op.pages {
            // The first page is `send()`'s request again; the second is
            // the one the runtime makes from the first answer. A next URL
            // is whatever string Prism made up for it: one that routes
            // nowhere in the spec ends the walk (`invented_route`).
            let _ = writeln!(
                out,
                "    let mut pages = build_{i}(client, args)?.pages().max_pages(2);\n    while let Some(page) = pages.next_page().await {{ if let Err(e) = page {{ if invented_route(&e) {{ break; }} let mut f = classify(&e, explain::<{page}>); f.message = format!(\"walking the pages: {{}}\", f.message); return Err(f); }} }}"
            );
        }
        out.push_str("    Ok(())\n}\n\n");
    }
    out.push_str(
        "pub async fn dispatch(id: &str, client: &Client, args: &Map<String, Value>) -> Result<(), Failure> {\n    match id {\n",
    );
    for (i, (id, _)) in ops.iter().enumerate() {
        let _ = writeln!(out, "        {id:?} => call_{i}(client, args).await,");
    }
    out.push_str(
        "        _ => Err(Failure::unbuilt(format!(\"no call for {id}\"))),\n    }\n}\n\n",
    );
    out.push_str("pub fn round_trip(schema: &str, value: &Value) -> Result<Value, String> {\n    match schema {\n");
    for (name, ty) in schemas {
        let _ = writeln!(
            out,
            "        {name:?} => encode_decode::<crate::generated::types::{ty}>(value),"
        );
    }
    out.push_str("        _ => Err(format!(\"no type for {schema}\")),\n    }\n}\n");
    out
}

/// The harness's fixed part.
const SUPPORT_RS: &str = include_str!("harness_support.rs");

/// The harness's relay to Prism, which keeps Prism's answers whole.
const TAP_RS: &str = include_str!("harness_tap.rs");

const MAIN_RS: &str = "\
//! Written by `cargo xtask contract` (xtask/src/contract/harness.rs).
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs, rustdoc::all)]
mod generated;
#[allow(clippy::all, unused_variables)]
mod calls;
mod support;
mod tap;

fn main() -> std::process::ExitCode {
    support::main()
}
";

/// The harness crate of one spec, in `target/scratch/contract-<name>`.
pub(crate) struct Harness {
    pub name: String,
    pub dir: PathBuf,
}

impl Harness {
    pub(crate) fn new(stem: &str) -> Self {
        let name = scratch::package_name(&format!("contract-{stem}"));
        Harness {
            dir: scratch::scratch_root().join(&name),
            name,
        }
    }

    /// Writes the crate (files that did not change are left alone, so
    /// cargo rebuilds only what did).
    pub(crate) fn write(&self, code: &str, calls: &str) -> Result<(), Failure> {
        scratch::create_dir(&self.dir.join("src"))?;
        write_if_changed(&self.dir.join("Cargo.toml"), &self.manifest()?)?;
        write_if_changed(&self.dir.join("src/main.rs"), MAIN_RS)?;
        write_if_changed(&self.dir.join("src/support.rs"), SUPPORT_RS)?;
        write_if_changed(&self.dir.join("src/tap.rs"), TAP_RS)?;
        write_if_changed(&self.dir.join("src/generated.rs"), code)?;
        write_if_changed(&self.dir.join("src/calls.rs"), calls)?;
        scratch::sync_lock(&self.dir)
    }

    /// `cargo build`; the first error line when it fails.
    pub(crate) fn build(&self) -> Result<PathBuf, Failure> {
        let target = scratch::shared_target_dir();
        let outcome = scratch::cargo(&self.dir, &target, Cargo::Build, &[])?;
        if !outcome.success {
            let errors: Vec<&str> = outcome
                .stderr
                .lines()
                .filter(|l| l.starts_with("error") || l.trim_start().starts_with("-->"))
                .take(6)
                .collect();
            return Err(Failure::new(format!(
                "error: the harness does not build (crate in {}):\n{}",
                workspace::label(&self.dir),
                errors.join("\n")
            )));
        }
        Ok(target.join("debug").join(&self.name))
    }

    fn manifest(&self) -> Result<String, Failure> {
        let root = scratch::read(&workspace::root().join("Cargo.toml"))?;
        let client = workspace::root().join("generated-client");
        let dependency = |name: &str| {
            scratch::workspace_dependency(&root, name).ok_or_else(|| {
                Failure::new(format!(
                    "error: `{name}` is missing from [workspace.dependencies] of Cargo.toml"
                ))
            })
        };
        let mut out = String::from(
            "# Written by `cargo xtask contract` (xtask/src/contract/harness.rs).\n[package]\n",
        );
        let _ = writeln!(out, "name = {:?}", self.name);
        out.push_str(
            "version = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n",
        );
        let _ = writeln!(
            out,
            "alakazam-client = {{ path = {:?} }}",
            client.to_string_lossy()
        );
        for name in scratch::WORKSPACE_DEPENDENCIES
            .iter()
            .chain(&["serde_path_to_error", "futures-core"])
        {
            let _ = writeln!(out, "{name} = {}", dependency(name)?);
        }
        // The harness's own runtime: current-thread is all it needs.
        let _ = writeln!(
            out,
            "tokio = {{ version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }}"
        );
        for (name, fallback) in scratch::EXTRA_DEPENDENCIES {
            let requirement =
                scratch::workspace_dependency(&root, name).unwrap_or_else(|| fallback.to_owned());
            let _ = writeln!(out, "{name} = {requirement}");
        }
        out.push_str("\n[workspace]\n\n");
        out.push_str(&scratch::profiles(&root));
        Ok(out)
    }
}

fn write_if_changed(path: &Path, content: &str) -> Result<(), Failure> {
    if std::fs::read(path).ok().as_deref() == Some(content.as_bytes()) {
        return Ok(());
    }
    scratch::write(path, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_checked_in_client() {
        let code = scratch::read(&workspace::root().join("generated-client/src/generated.rs"))
            .map_err(|f| f.message)
            .unwrap_or_default();
        let client = read(&code).map_err(|f| f.message).unwrap_or_default();
        let op = client.find("PATCH", "/v1/characters/{id}");
        let op = op.map(|o| {
            let setters: Vec<(&str, &str)> = o
                .setters
                .iter()
                .map(|s| (s.name.as_str(), s.ty.as_str()))
                .collect();
            (
                o.builder.clone(),
                setters
                    .iter()
                    .map(|(n, t)| format!("{n}: {t}"))
                    .collect::<Vec<_>>(),
                o.response.clone(),
            )
        });
        assert_eq!(
            op,
            Some((
                "update_character".to_owned(),
                vec![
                    ":: uuid :: Uuid"
                        .to_owned()
                        .replace(":: uuid", "id: :: uuid"),
                    "body: types :: CharacterUpdate".to_owned()
                ],
                "types :: Character".to_owned()
            ))
        );
        assert!(client.types.contains("Visibility"));
    }
}
