//! Typed coverage is measured on what was generated: degraded operations
//! and schemas are listed with why, the spec's own `{}` is not held
//! against it.

use std::path::Path;

fn coverage(relative: &str) -> codegen::Coverage {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let spec = codegen::Spec::load(root.join(relative)).unwrap();
    codegen::generate(&spec, &codegen::Settings::default())
        .unwrap()
        .coverage
}

#[test]
fn degraded_constructs_are_counted_with_why() {
    let c = coverage("codegen/tests/fixtures/realworld_openapi31_forms.yaml");
    assert_eq!(c.operations, 2);
    assert_eq!(c.operations_degraded.len(), 1, "{c:#?}");
    assert_eq!(c.operations_degraded[0].0, "/paths/~1nodes~1{id}/delete");
    assert!(c.operations_degraded[0].1.contains("not decoded"));
    assert_eq!(c.schemas, 2);
    assert_eq!(
        c.schemas_degraded,
        [(
            "Nothing".to_owned(),
            "a schema that only allows `null` has no OpenAPI 3.0 spelling; generated as any JSON value"
                .to_owned()
        )]
    );
    assert_eq!(
        c.summary(),
        "1/2 operations typed, 1/2 schemas typed (50.0 %), 0 any by the spec"
    );
}

#[test]
fn the_spec_s_own_any_is_not_a_degradation() {
    let spec = codegen::Spec::from_bytes(
        "s.yaml",
        b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Anything: {description: whatever the server says}\n    Typed: {type: object, properties: {a: {type: string}}}\n",
    )
    .unwrap();
    let c = codegen::generate(&spec, &codegen::Settings::default())
        .unwrap()
        .coverage;
    assert_eq!(c.schemas, 2);
    assert_eq!(c.schemas_any_by_spec, ["Anything"]);
    assert!(c.schemas_degraded.is_empty());
    assert_eq!(c.schemas_typed_percent(), 100.0);
}

/// Event streams and downloads are typed calls (`EventStream<T>`,
/// `ByteStream` and `Bytes`), and the event schemas named for them are
/// typed schemas.
#[test]
fn streams_and_downloads_are_typed() {
    let c = coverage("codegen/tests/fixtures/streams_sse.yaml");
    assert_eq!(c.operations, 3);
    assert!(c.operations_degraded.is_empty(), "{c:#?}");
    // Token, Message, Problem, ReplyRequest, the hoisted ListMessagesEvent
    // and its `role` enum.
    assert_eq!(c.schemas, 6, "{c:#?}");
    assert!(c.schemas_degraded.is_empty(), "{c:#?}");
    let c = coverage("codegen/tests/fixtures/streams_binary.yaml");
    assert_eq!(c.operations, 4);
    assert!(c.operations_degraded.is_empty(), "{c:#?}");
}

/// A node the typed model could not read counts against coverage with its
/// warning: a schema made any JSON value, an operation whose response
/// lost its body.
#[test]
fn unreadable_nodes_are_counted_with_why() {
    let c = coverage("codegen/tests/fixtures/unreadable_nodes.yaml");
    assert_eq!(c.operations, 3, "{c:#?}");
    assert_eq!(
        c.operations_degraded,
        [(
            "/paths/~1items~1{id}/get".to_owned(),
            "the response does not read as an OpenAPI 3.0 response (invalid type: sequence, expected a string); it is left without a body, not decoded".to_owned()
        )]
    );
    assert_eq!(
        c.schemas_degraded,
        [(
            "Loose".to_owned(),
            "the schema does not read as an OpenAPI 3.0 schema (invalid type: map, expected a string); it is typed as any JSON value".to_owned()
        )]
    );
    assert!(c.schemas_any_by_spec.is_empty());
}

/// What the generator renamed and quarantined is counted, so that a
/// corpus report shows what the breadth costs.
#[test]
fn renamed_and_quarantined_constructs_are_counted() {
    let c = coverage("codegen/tests/fixtures/quarantine.yaml");
    // `ListItem2` (an inline type named like a component) and `PetArrayItem2`
    // (a component named like a type typify derives).
    assert_eq!(c.renamed, 2, "{c:#?}");
    assert_eq!(c.quarantined.len(), 1, "{c:#?}");
    assert!(
        c.quarantined
            .iter()
            .any(|(ptr, why)| ptr == "/components/schemas/Weird" && why.contains("any JSON value"))
    );
    assert!(c.schemas_degraded.iter().any(|(name, _)| name == "Weird"));
    assert!(
        c.summary().contains(", 2 renamed, 1 quarantined"),
        "{}",
        c.summary()
    );
}

/// The list operations of the pagination fixture: each one paged, by its
/// extension or inferred, or single-page with why.
#[test]
fn list_operations_are_paged_or_say_why_not() {
    let c = coverage("codegen/tests/fixtures/pagination.yaml");
    let how = |op: &str| {
        c.paginated
            .iter()
            .find(|(ptr, _)| ptr == op)
            .map(|(_, how)| how.as_str())
    };
    assert_eq!(how("/paths/~1notes/get"), Some("x-pagination: cursor"));
    assert_eq!(
        how("/paths/~1notes~1search/post"),
        Some("x-pagination: cursor")
    );
    assert_eq!(how("/paths/~1fern/get"), Some("x-fern-pagination: cursor"));
    assert_eq!(
        how("/paths/~1speakeasy/get"),
        Some("x-speakeasy-pagination: offset")
    );
    assert_eq!(
        how("/paths/~1dropshot/get"),
        Some("x-dropshot-pagination: cursor")
    );
    assert_eq!(
        how("/paths/~1tokens/get"),
        Some("inferred: cursor nextPageToken → pageToken")
    );
    assert_eq!(how("/paths/~1repos/get"), Some("inferred: Link header"));
    assert_eq!(
        how("/paths/~1events/get"),
        Some("inferred: offset offset + limit")
    );
    assert_eq!(
        how("/paths/~1pages/get"),
        Some("inferred: page number page")
    );
    assert_eq!(
        how("/paths/~1hal/get"),
        Some("inferred: next URL _links.next.href")
    );
    assert_eq!(
        how("/paths/~1charges/get"),
        Some("inferred: last item's id → starting_after")
    );
    assert_eq!(
        how("/paths/~1datadog/get"),
        Some("x-pagination (Datadog's): page")
    );
    assert_eq!(c.paginated.len(), 12, "{c:#?}");
    let why = |op: &str| {
        c.single_page
            .iter()
            .find(|(ptr, _)| ptr == op)
            .map(|(_, why)| why.as_str())
            .unwrap_or_default()
    };
    assert!(
        why("/paths/~1ambiguous/get").contains("ambiguous (notes, tags)"),
        "{c:#?}"
    );
    assert!(
        why("/paths/~1all/get").contains("no paging parameter"),
        "{c:#?}"
    );
    assert_eq!(c.single_page.len(), 2, "{c:#?}");
    assert!(
        c.summary()
            .ends_with(", 12 list operations paged (6 inferred), 2 single-page")
    );
}

/// A schema no value satisfies as typify reads it becomes an enum without
/// variants: counted by name, so that the corpus check fails on it.
#[test]
fn a_type_no_value_inhabits_is_named() {
    let source = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Never:
      allOf: [{type: string}, {type: integer}]
    Fine: {type: object, properties: {a: {type: string}}}
";
    let spec = codegen::Spec::from_bytes("never.yaml", source.as_bytes()).unwrap();
    let generated = codegen::generate(&spec, &codegen::Settings::default()).unwrap();
    assert_eq!(generated.coverage.uninhabited, ["Never"]);
    assert!(
        generated
            .coverage
            .summary()
            .ends_with(", 1 types no value inhabits (Never)"),
        "{}",
        generated.coverage.summary()
    );
}
