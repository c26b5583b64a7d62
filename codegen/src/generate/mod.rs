//! Stage 5, generate: typed spec → one syntax tree.
//!
//! progenitor writes the types and one positional method per operation
//! ([`progenitor`]); the output is parsed once, then the passes below
//! rewrite it in place, in this order, each for a reason:
//!
//! | # | pass | what it does | why here |
//! |---|------|--------------|----------|
//! | 1 | [`extra_fields`] | structs of `mod types` keep unknown fields | first: every later pass (dedup, models, docs) sees the field it adds |
//! | 2 | [`runtime`] | progenitor's re-exports, constructors, hooks → the runtime's | before the builders, whose `send()` returns the runtime's `Error` |
//! | 3 | [`builders`] | positional methods → `Client` methods and `mod builder`; the query parameters [`queries`] planned appended by the runtime or renamed to their wire names; optional request bodies sent only when set | makes `mod builder`, which 8, 9, 11 and 12 read or rewrite |
//! | 4 | [`enums`] | string enums open (`Unknown(String)`), real wire values back | before dedup: identical enums merge with their new impls |
//! | 5 | [`patch`] | optional nullable body fields → `Patch<T>` | before dedup (field types decide identity) and models (setters take `Into<Patch<T>>`) |
//! | 6 | [`dedup`] | identical inline types → aliases of the first | after every pass that changes a type's shape (1, 4, 5); before models and former names |
//! | 7 | [`union_order`] | the object members of an untagged union reordered: most required fields first, a member that accepts any object last | after dedup (aliases resolved to the structs whose fields decide); names and payloads unchanged, so any later pass may come after it |
//! | 8 | [`models`] | setters on the types requests carry, a constructor (`new` of the required fields, or `Default`) on every struct, `PartialEq` on every model; duplicate conversions go; [`conversions`]: `From<&str>`, `From<i64>`… on untagged unions | after builders (reachability starts at the builders' fields) and dedup (no setters on an alias, one impl per merged type) |
//! | 9 | [`former_names`] | deprecated aliases for renamed schemas | after dedup and models: sees every name taken |
//! | 10 | [`request_bodies`] | multipart bodies built from the model's fields, form bodies per their `encoding` | after every pass that changes the models' fields (1, 5, 6) |
//! | 11 | [`pagination`] | a list operation's builder gets `pages()` and `stream()`, made from its `send()`; the `pagination` table | after every pass that rewrites `send()` or the types (its item type is read off `mod types`); before short paths |
//! | 12 | one walk of `mod builder` and `mod types`, per item: | | last, after every pass that writes a long path or adds an item |
//! |   | [`content_type`] | a body's real media type in its `send()` | before short paths: its header is spelled out |
//! |   | [`paths`] | standard names written short where nothing shadows them | after every pass that writes `::std::…` |
//! |   | [`docs`] | a doc line on every public item still without one | after short paths: a doc may quote a type |
//!
//! Then [`operations`] appends what must come from the spec and progenitor
//! does not emit (the spec digest, the table of security schemes written by
//! [`security`], the operation table with each one's security requirement
//! and key kinds), and [`error_bodies`] appends `mod errors` (each
//! operation's error bodies typed by status, from what normalization
//! recorded before the statuses shared one type; it reads which types
//! `mod types` holds, so it runs after every pass). Last, [`unique_names`] checks that no module declares
//! two types of one name (a collision normalization did not foresee, an
//! internal error rather than a file that does not compile). Before that
//! check, when normalization renamed properties whose field names collide,
//! [`wire_names`] writes their keys back as the wire names wherever the
//! output spells them (serde renames, part names, docs): one walk of the
//! whole file, after every pass and the operation table, so that no
//! spelling of a key escapes it.
//! Passes 1–11 each need the whole module (a set of names, a plan made
//! from all items) before they can rewrite an item, so each is its own
//! pass; 12 needs only what is known before it starts, so its three
//! rewrites share one walk. A pass returns `Err` only when progenitor's
//! output is not what it expects (a bug here, reported as internal).

mod builders;
mod content_type;
mod conversions;
mod dedup;
mod docs;
mod enum_impls;
mod enums;
mod error_bodies;
mod extra_fields;
mod former_names;
mod mock_errors;
mod mock_queries;
mod mock_streams;
mod models;
mod operations;
mod pagination;
mod patch;
mod paths;
mod progenitor;
mod queries;
mod request_bodies;
mod runtime;
mod security;
mod streams;
mod syntax;
mod union_order;
mod unique_names;
mod wire_names;

use openapiv3::OpenAPI;
use syn::Item;

use crate::Settings;
use crate::error::Error;
use crate::load::Spec;

pub(crate) use enums::{OPEN_ENUM_EXTENSION, OPEN_ENUMS_EXTENSION};

/// Why generation stopped: a failure pinned on one construct, which
/// quarantine can degrade (with why it failed), or an error.
pub(crate) enum Failed {
    On(crate::quarantine::Culprit, String),
    Error(Error),
}

impl From<Error> for Failed {
    fn from(error: Error) -> Self {
        Failed::Error(error)
    }
}
pub(crate) use operations::OperationTable;

/// What the passes read besides the file: the spec, and what was planned
/// from it before progenitor ran.
struct Context<'a> {
    api: &'a OpenAPI,
    runtime: &'a syn::Path,
    table: &'a OperationTable,
    enums: enums::Plan,
    patch: patch::Plan,
    content_types: content_type::Plan,
    streams: streams::Plan,
    queries: queries::Plan,
    optional_bodies: builders::OptionalBodies,
    bodies: request_bodies::Plan,
    pagination: pagination::Plan,
    document_all: bool,
}

/// A syntax-tree pass over the whole file.
type Pass = fn(&mut syn::File, &Context) -> Result<(), String>;

/// The passes, in the order of the table above.
const PASSES: [(&str, Pass); 12] = [
    ("extra fields", |file, _| {
        extra_fields::keep_unknown_fields(file);
        Ok(())
    }),
    ("runtime", |file, cx| {
        runtime::route_through_runtime(file, cx.runtime);
        Ok(())
    }),
    ("builders", |file, cx| {
        builders::build(
            file,
            cx.runtime,
            cx.table,
            &cx.streams,
            &cx.queries,
            &cx.optional_bodies,
        )
    }),
    ("open enums", |file, cx| {
        enums::rewrite(file, &cx.enums);
        Ok(())
    }),
    ("Patch<T>", |file, cx| {
        patch::rewrite(file, &cx.patch);
        Ok(())
    }),
    ("dedup", |file, cx| {
        dedup::merge_duplicates(file, cx.api);
        Ok(())
    }),
    ("union order", |file, _| {
        union_order::order_untagged(file);
        Ok(())
    }),
    ("models", |file, cx| {
        models::add_setters(file, cx.document_all);
        models::drop_duplicate_conversions(file);
        models::derive_partial_eq(file);
        conversions::add_scalar_froms(file);
        Ok(())
    }),
    ("former names", |file, cx| {
        former_names::add_aliases(file, cx.api);
        Ok(())
    }),
    ("request bodies", |file, cx| {
        request_bodies::rewrite(file, &cx.bodies, cx.runtime);
        Ok(())
    }),
    ("pagination", |file, cx| {
        pagination::rewrite(file, &cx.pagination, cx.runtime);
        Ok(())
    }),
    ("content types, short paths, docs", |file, cx| {
        finish_modules(file, cx);
        Ok(())
    }),
];

/// What progenitor reads, for the client and the mocks alike: a copy of
/// the spec whose unnameable enum values are replaced and whose query
/// parameters are shown as progenitor can write them, with the plans that
/// say what was changed. Made once per document: the client and the mocks
/// share it.
#[derive(Clone)]
pub(crate) struct Input {
    api: OpenAPI,
    enums: enums::Plan,
    queries: queries::Plan,
}

impl Input {
    pub(crate) fn new(api: &OpenAPI) -> Input {
        let mut api = api.clone();
        let enums = enums::plan(&mut api);
        let queries = queries::plan(&mut api);
        Input {
            api,
            enums,
            queries,
        }
    }
}

/// Generates the client for a validated spec, from `input` (made from
/// `api`).
pub(crate) fn generate(
    spec: &Spec,
    api: &OpenAPI,
    input: &Input,
    settings: &Settings,
) -> Result<syn::File, Failed> {
    let internal = |message: String| Error::Internal {
        file: spec.name().to_owned(),
        message,
    };
    let runtime: syn::Path = syn::parse_str(&settings.runtime).map_err(|e| {
        internal(format!(
            "runtime path `{}` is not a Rust path: {e}",
            settings.runtime
        ))
    })?;
    let table = OperationTable::new(api);
    let mut enum_plan = input.enums.clone();
    let document_all = docs::wanted(api);
    enum_plan.document = document_all;
    let tokens = progenitor::client(&input.api, &runtime)?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| internal(format!("progenitor produced code that does not parse: {e}")))?;
    let cx = Context {
        api,
        runtime: &runtime,
        table: &table,
        enums: enum_plan,
        patch: patch::plan(api),
        content_types: content_type::plan(api),
        streams: streams::plan(api),
        queries: input.queries.clone(),
        optional_bodies: builders::optional_bodies(api),
        bodies: request_bodies::plan(api),
        pagination: pagination::plan(api, &table, &runtime),
        document_all,
    };
    for (_, pass) in PASSES {
        pass(&mut file, &cx).map_err(internal)?;
    }
    let extra: syn::File = syn::parse2(table.items(spec, api, &runtime))
        .map_err(|e| internal(format!("operation table does not parse: {e}")))?;
    file.items.extend(extra.items);
    let errors = error_bodies::module(api, &table, &file, &runtime);
    file.items.extend(errors);
    if marked_names(api) {
        wire_names::restore(&mut file);
    }
    if let Err(name) = unique_names::check(&file) {
        return Err(match name.strip_prefix("crate::types::") {
            Some(type_name) => Failed::On(
                crate::quarantine::Culprit::TypeName(type_name.to_owned()),
                format!("two types are named `{name}`"),
            ),
            None => Failed::Error(internal(format!(
                "two types are named `{name}`; rename one of the schemas that become it"
            ))),
        });
    }
    Ok(file)
}

/// Whether normalization renamed keys for Rust (see [`wire_names`]).
fn marked_names(api: &OpenAPI) -> bool {
    api.extensions
        .contains_key(crate::document::extensions::MARKED_NAMES_EXTENSION)
}

/// Pass 11: one walk of `mod builder` and `mod types`, each item through
/// the content-type rewrite (builder), short paths, and docs (types).
fn finish_modules(file: &mut syn::File, cx: &Context) {
    for item in &mut file.items {
        let Item::Mod(m) = item else { continue };
        let (builder, types) = (m.ident == "builder", m.ident == "types");
        if !builder && !types {
            continue;
        }
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        let mut short = paths::Shortener::new(items, builder);
        for item in items.iter_mut() {
            if builder {
                content_type::rewrite_item(item, &cx.content_types);
            }
            if let Some(short) = &mut short {
                short.item(item);
            }
            if types && cx.document_all {
                docs::document_item(item);
            }
        }
        if let Some(short) = short {
            short.finish(items);
        }
    }
}

/// Generates progenitor's typed httpmock extensions for the client whose
/// `types` module is reachable at `client_path`, from the client's `input`,
/// then rewrites them: each error status answered with its own type
/// ([`mock_errors`]), query parameters matched as the client sends them
/// ([`mock_queries`]), streams and request bodies as the spec documents
/// them ([`mock_streams`], `request_bodies::mock`), and the docs.
pub(crate) fn httpmock(
    spec: &Spec,
    input: &Input,
    client_path: &str,
    runtime: &str,
) -> Result<syn::File, Failed> {
    let internal = |message: String| Error::Internal {
        file: spec.name().to_owned(),
        message,
    };
    let runtime: syn::Path = syn::parse_str(runtime)
        .map_err(|e| internal(format!("runtime path `{runtime}` is not a Rust path: {e}")))?;
    // progenitor panics on a bad path; check it first.
    syn::parse_str::<syn::Path>(client_path).map_err(|e| {
        internal(format!(
            "client path `{client_path}` is not a Rust path: {e}"
        ))
    })?;
    let api = &input.api;
    let (tokens, type_names) = progenitor::httpmock(spec, api, client_path)?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| internal(format!("httpmock extensions do not parse: {e}")))?;
    mock_errors::rewrite(&mut file, api, &type_names);
    mock_queries::rewrite(&mut file, api, &input.queries, &runtime);
    mock_streams::rewrite(&mut file, &streams::plan(api), &runtime);
    request_bodies::mock::rewrite(&mut file, &request_bodies::plan(api), &runtime);
    if docs::wanted(api) {
        docs::document_httpmock(&mut file);
    }
    if marked_names(api) {
        wire_names::restore(&mut file);
    }
    Ok(file)
}
