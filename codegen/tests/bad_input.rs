//! Every bad-input path of load and validate: the message, the location
//! and the JSON pointer are asserted, and no panic escapes.

use codegen::{Diagnostic, Error, Location, Settings, Spec};

fn errors(name: &str, source: &str) -> Vec<Diagnostic> {
    let result = Spec::from_bytes(name, source.as_bytes())
        .and_then(|spec| codegen::generate(&spec, &Settings::default()));
    match result {
        Err(Error::Spec(report)) => report.diagnostics,
        Err(other) => panic!("expected spec diagnostics, got {other}"),
        Ok(_) => panic!("expected {name} to be rejected"),
    }
}

/// The warnings of a spec that generates.
fn warnings(name: &str, source: &str) -> Vec<Diagnostic> {
    let spec = Spec::from_bytes(name, source.as_bytes()).unwrap();
    match codegen::generate(&spec, &Settings::default()) {
        Ok(g) => g.warnings,
        Err(e) => panic!("expected {name} to generate, got\n{e}"),
    }
}

fn one(name: &str, source: &str) -> Diagnostic {
    let mut all = errors(name, source);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

fn at(line: usize, column: usize) -> Option<Location> {
    Some(Location { line, column })
}

/// Asserts where a diagnostic points: its JSON pointer, line and column.
#[track_caller]
fn assert_at(d: &Diagnostic, pointer: &str, line: usize, column: usize) {
    assert_eq!(d.pointer.as_deref(), Some(pointer), "{d}");
    assert_eq!(d.location, at(line, column), "{d}");
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

#[test]
fn yaml_syntax_error() {
    let d = one("s.yaml", &format!("{HEAD}paths:\n  /a: {{get: [\n"));
    assert!(d.message.starts_with("invalid YAML:"), "{}", d.message);
    assert_eq!(d.file, "s.yaml");
    // The parser stops past the last line: shown at the end of the last
    // line, where the document stops, with that line and a caret.
    assert_eq!(d.location, at(6, 14));
    let shown = d.to_string();
    assert!(shown.starts_with("error: invalid YAML:"), "{shown}");
    assert!(
        shown.ends_with(" --> s.yaml:6:14\n  |\n6 |   /a: {get: [\n  |              ^\n"),
        "{shown}"
    );
}

#[test]
fn json_syntax_error() {
    let d = one(
        "s.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\" \"version\": \"1\"}\n}\n",
    );
    assert_eq!(d.message, "invalid JSON: expected `,` or `}`");
    assert_eq!(d.location, at(3, 25));
    assert_eq!(
        d.to_string(),
        "error: invalid JSON: expected `,` or `}`\n \
         --> s.json:3:25\n  \
         |\n\
         3 |   \"info\": {\"title\": \"t\" \"version\": \"1\"}\n  \
         |                         ^\n"
    );
}

#[test]
fn wrong_types_name_the_node() {
    // An operation that does not read is left out, located at the value.
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: [1, 2]\n      responses: {{}}\n"
        ),
    );
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    assert!(!d.is_error());
    assert!(
        d.message.starts_with(
            "the operation does not read as OpenAPI 3.0 (invalid type: sequence, expected a string"
        ),
        "{}",
        d.message
    );
    assert!(d.message.ends_with("; it is left out"), "{}", d.message);
    // A collection is located at its key.
    assert_at(d, "/paths/~1a/get/operationId", 8, 7);

    // What is no part of OpenAPI that degrades stays an error.
    let d = one("s.yaml", &format!("{HEAD}paths: 5\n"));
    assert!(
        d.message.contains("invalid type: integer `5`"),
        "{}",
        d.message
    );
    assert_at(&d, "/paths", 5, 8);
}

#[test]
fn unknown_parameter_location() {
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: q\n          in: body\n          schema: {{type: string}}\n      responses: {{}}\n"
        ),
    );
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].message,
        "the parameter does not read as OpenAPI 3.0 (unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`); it is left out"
    );
    assert_at(&all[0], "/paths/~1a/get/parameters/0/in", 11, 15);
}

#[test]
fn dangling_ref() {
    let d = one(
        "s.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n"
        ),
    );
    assert_eq!(
        d.message,
        "dangling reference `#/components/schemas/Missing`: nothing is defined there"
    );
    assert_at(&d, "/components/schemas/A/$ref", 9, 13);
}

#[test]
fn cyclic_and_external_refs() {
    let all = errors(
        "s.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n    C:\n      $ref: 'other.yaml#/C'\n"
        ),
    );
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "cyclic reference `#/components/schemas/B`: the chain of `$ref`s never reaches a definition",
            "cyclic reference `#/components/schemas/A`: the chain of `$ref`s never reaches a definition",
            "external reference `other.yaml#/C` is not supported",
        ]
    );
}

/// Duplicate operationIds (and ids that name one method) are numbered, as
/// publishers ship them: warnings at the ids, the spec generates.
#[test]
fn duplicate_operation_ids_are_numbered() {
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{}}\n  /b:\n    get:\n      operationId: same\n      responses: {{}}\n    post:\n      operationId: Same\n      responses: {{}}\n"
        ),
    );
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "duplicate operationId `same`; this operation's is `same_2`",
            "operationId `Same` names the same method `same` as `same`; this operation's is `Same_3`",
        ]
    );
    assert_at(&all[0], "/paths/~1b/get/operationId", 12, 20);
    assert_eq!(
        all[0].help.as_deref(),
        Some("operationIds name the generated methods and must be unique")
    );
}

/// What degrades is a warning, each at its place, and the spec generates:
/// a path parameter the path lacks (left out), a required cookie (left
/// out), ids that name one method (numbered).
#[test]
fn spec_bugs_in_operations_are_warnings() {
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: g\n      responses: {{}}\n    put:\n      operationId: p\n      parameters:\n        - {{name: other, in: path, required: true, schema: {{type: string}}}}\n        - {{name: sid, in: cookie, required: true, schema: {{type: string}}}}\n      responses: {{}}\n  /b:\n    get:\n      operationId: getThing\n      responses: {{}}\n    post:\n      operationId: get_thing\n      responses: {{}}\n"
        ),
    );
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "operationId `get_thing` names the same method `get_thing` as `getThing`; this operation's is `get_thing_2`",
            "required cookie parameter `sid` is left out: cookies are not supported",
            "path parameter `other` does not appear in the path; it is left out",
            "path variable `{id}` of `/a/{id}` is not declared; a required string path parameter `id` is generated",
            "path variable `{id}` of `/a/{id}` is not declared; a required string path parameter `id` is generated",
        ]
    );
    assert_at(&all[2], "/paths/~1a~1{id}/put/parameters/0", 13, 11);
    assert_eq!(
        all[2].help.as_deref(),
        Some("add `{other}` to the path or declare the parameter `in: query`")
    );
    assert_at(&all[1], "/paths/~1a~1{id}/put/parameters/1", 14, 11);
    assert_eq!(all[3].location, at(7, 5));
}

/// A part of the wrong type does not hide the problems of the others: the
/// operation checks run on every part that converts, and what
/// normalization changed is reported beside the errors.
#[test]
fn a_type_error_hides_nothing_else() {
    let doc = |info: &str| {
        format!(
            "openapi: 3.0.3
info: {info}
paths:
  /a/{{id}}:
    get:
      operationId: same
      parameters:
        - {{name: q, in: body, schema: {{type: string}}}}
      responses: {{}}
  /b:
    get:
      operationId: same
      responses: {{}}
    post:
      responses: {{}}
"
        )
    };
    let shown = |all: &[codegen::Diagnostic]| -> Vec<(bool, String, String, Option<Location>)> {
        all.iter()
            .map(|d| {
                (
                    d.is_error(),
                    d.message.clone(),
                    d.pointer.clone().unwrap_or_default(),
                    d.location,
                )
            })
            .collect()
    };
    let expected_warnings = [
        (
            false,
            "duplicate operationId `same`; this operation's is `same_2`",
            "/paths/~1b/get/operationId",
            at(12, 20),
        ),
        (
            false,
            "operation `POST /b` has no operationId; using `post_b`",
            "/paths/~1b/post",
            at(14, 5),
        ),
        (
            false,
            "path variable `{id}` of `/a/{id}` is not declared; a required string path parameter `id` is generated",
            "/paths/~1a~1{id}/get",
            at(5, 5),
        ),
        (
            false,
            "the parameter does not read as OpenAPI 3.0 (unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`); it is left out",
            "/paths/~1a~1{id}/get/parameters/0/in",
            at(8, 25),
        ),
    ]
    .map(|(e, m, p, l)| (e, m.to_owned(), p.to_owned(), l));
    // The parameter that does not read is left out, a warning beside
    // normalization's.
    let all = warnings("s.yaml", &doc("{title: t, version: '1'}"));
    assert_eq!(shown(&all), expected_warnings);

    // A part that does not degrade (an `info` that is no object) is an
    // error, and still hides none of the warnings.
    let mut all = errors("s.yaml", &doc("5"));
    let mut expected = vec![(
        true,
        "invalid OpenAPI document: invalid type: integer `5`, expected struct Info".to_owned(),
        "/info".to_owned(),
        at(2, 7),
    )];
    expected.extend(expected_warnings.iter().cloned());
    assert_eq!(shown(&all), expected);
    // Two errors are counted at the end.
    all.push(all[0].clone());
    let shown = codegen::Report { diagnostics: all }.to_string();
    assert!(
        shown.ends_with("\n\nerror: 2 problems found in the spec"),
        "{shown}"
    );

    // A path parameter whose schema does not read still declares its
    // variable: the schema is any JSON value.
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: a\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string, maxLength: many}}}}\n      responses: {{}}\n"
        ),
    );
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0].message.starts_with(
            "the schema does not read as an OpenAPI 3.0 schema (invalid type: string \"many\""
        ),
        "{}",
        all[0].message
    );
    assert!(all[0].message.ends_with("; it is typed as any JSON value"));
    assert_eq!(
        all[0].pointer.as_deref(),
        Some("/paths/~1a~1{id}/get/parameters/0/schema/maxLength")
    );
}

#[test]
fn versions_other_than_3_0_and_3_1() {
    let d = one(
        "s.yaml",
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_eq!(d.message, "unsupported OpenAPI version `3.2.0`");
    assert_eq!(d.location, at(1, 10));
    let d = one(
        "s.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_eq!(d.message, "Swagger 2.0 documents are not supported");
    assert_eq!(d.location, at(1, 10));
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("convert the document to OpenAPI 3.0")
    );
    let d = one("s.yaml", "info: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(d.message, "missing `openapi` version field");
    let d = one(
        "s.yaml",
        "openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert_eq!(
        d.message,
        "`openapi` must be a version string like \"3.0.3\", found a number"
    );
}

/// What OpenAPI 3.1 can say and 3.0 cannot degrades to the closest 3.0
/// shape, each a located warning: the spec still generates.
#[test]
fn openapi_3_1_constructs_without_a_3_0_spelling() {
    let all = warnings(
        "s.yaml",
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /tree:
    get:
      operationId: getTree
components:
  schemas:
    Pair:
      type: array
      prefixItems:
        - type: string
        - type: integer
    OnlyNull:
      type: 'null'
    Cond:
      type: object
      if: {properties: {a: {const: 1}}}
      then: {required: [b]}
    Tree:
      type: object
      patternProperties: {'^x-': {type: string}}
      properties:
        kids: {type: array, items: {$dynamicRef: '#node'}}
",
    );
    let found: Vec<(&str, &str, Option<Location>)> = all
        .iter()
        .map(|d| {
            (
                d.message.as_str(),
                d.pointer.as_deref().unwrap_or(""),
                d.location,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "OpenAPI 3.1.0 document lowered to OpenAPI 3.0",
                "/openapi",
                at(1, 10)
            ),
            (
                "operation has no `responses` (optional in OpenAPI 3.1); any answer is accepted and not decoded",
                "/paths/~1tree/get",
                at(5, 5)
            ),
            (
                "conditional schemas (`if`/`then`/`else`) have no OpenAPI 3.0 spelling; the generated type is the schema without the condition",
                "/components/schemas/Cond/if",
                at(18, 7)
            ),
            (
                "conditional schemas (`if`/`then`/`else`) have no OpenAPI 3.0 spelling; the generated type is the schema without the condition",
                "/components/schemas/Cond/then",
                at(19, 7)
            ),
            (
                "a schema that only allows `null` has no OpenAPI 3.0 spelling; generated as any JSON value",
                "/components/schemas/OnlyNull/type",
                at(15, 13)
            ),
            (
                "tuple schemas (`prefixItems`) have no OpenAPI 3.0 spelling; generated as an array whose items are any JSON value (or `items`, when given)",
                "/components/schemas/Pair/prefixItems",
                at(11, 7)
            ),
            (
                "`patternProperties` has no OpenAPI 3.0 spelling; generated as a map of the pattern's schema (`additionalProperties`; any JSON value for several patterns)",
                "/components/schemas/Tree/patternProperties",
                at(22, 7)
            ),
            (
                "`$dynamicRef` has no OpenAPI 3.0 spelling; read as `$ref: '#/components/schemas/Tree'`, the component it sits in",
                "/components/schemas/Tree/properties/kids/items/$dynamicRef",
                at(24, 50)
            ),
        ]
    );
}

#[test]
fn empty_and_non_utf8_files() {
    assert_eq!(one("e.yaml", "").message, "the file is empty");
    assert_eq!(one("e.yaml", " \n\t\n").message, "the file is empty");
    let bytes = b"openapi: 3.0.3\ninfo:\n  title: \xff\n";
    let err = Spec::from_bytes("b.yaml", bytes).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(
        d.message,
        "the file is not valid UTF-8 (invalid byte at offset 30)"
    );
    assert_eq!(d.location, at(3, 10));
}

/// What progenitor would panic on and normalization rewrites: generation
/// succeeds, and each rewrite is a located warning.
#[test]
fn constructs_progenitor_would_panic_on_are_normalized() {
    let source = format!(
        "{HEAD}paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          application/json: {{schema: {{type: object}}}}
          application/xml: {{schema: {{type: object}}}}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}
        '201': {{description: ok, content: {{application/json: {{schema: {{type: integer}}}}}}}}
  /b:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {{type: object}}
            encoding: {{x: {{contentType: text/html}}}}
      responses:
        default: {{description: err, content: {{application/problem+json: {{schema: {{type: string}}}}}}}}
        '200': {{description: ok, content: {{application/json: {{schema: {{type: integer}}}}}}}}
"
    );
    let generated = warnings("s.yaml", &source);
    let found: Vec<(&str, &str, Option<Location>)> = generated
        .iter()
        .map(|d| {
            (
                d.message.as_str(),
                d.pointer.as_deref().unwrap_or(""),
                d.location,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "operation `POST /b` has no operationId; using `post_b`",
                "/paths/~1b/post",
                at(17, 5)
            ),
            (
                "request body has several media types (application/json, application/xml); only `application/json` is sent",
                "/paths/~1a/post/requestBody/content",
                at(10, 9)
            ),
            (
                "`contentType` of form field `x` is ignored",
                "/paths/~1b/post/requestBody/content/application~1x-www-form-urlencoded/encoding/x/contentType",
                at(22, 41)
            ),
            (
                "response media type `application/problem+json` is decoded as JSON",
                "/paths/~1b/post/responses/default/content/application~1problem+json",
                at(24, 47)
            ),
            (
                "operation `a` has 2 different success response types (responses 200, 201); the success type is now `AResponse` (one of the alternatives)",
                "/paths/~1a/post/responses",
                at(13, 7)
            ),
            (
                "operation `post_b`: the `default` response is taken as the error response (4XX, 5XX)",
                "/paths/~1b/post/responses/default",
                at(24, 9)
            ),
        ]
    );
    assert!(generated.iter().all(|d| !d.is_error()));
    let shown = generated[0].to_string();
    assert!(
        shown.starts_with("warning: operation `POST /b` has no operationId"),
        "{shown}"
    );
    assert!(shown.contains(" --> s.yaml:17:5"), "{shown}");

    // `--deny-warnings`: the same, as errors, and no code.
    let spec = Spec::from_bytes("s.yaml", source.as_bytes()).unwrap();
    let settings = Settings {
        deny_warnings: true,
        ..Settings::default()
    };
    let err = codegen::generate(&spec, &settings).unwrap_err();
    assert_eq!(err.diagnostics().len(), 6);
    assert!(err.diagnostics().iter().all(Diagnostic::is_error));
    assert!(err.to_string().contains("= help: add an `operationId`: it names the generated method; warnings are denied (`--deny-warnings`)"), "{err}");
}

/// A request body media type that is no `type/subtype` degrades to raw
/// bytes the caller writes, sent under the name as written: a warning at
/// its place.
#[test]
fn a_media_type_that_is_none_is_raw_bytes() {
    let source = format!(
        "{HEAD}paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          form-data: {{schema: {{type: object}}}}
      responses:
        '200': {{description: ok}}
"
    );
    let all = warnings("s.yaml", &source);
    assert_eq!(
        all[0].message,
        "request body media type `form-data` is not a media type (`type/subtype`); the body is raw bytes the caller writes"
    );
    assert_eq!(
        all[0].pointer.as_deref(),
        Some("/paths/~1a/post/requestBody/content")
    );
    assert_eq!(all[0].location, at(10, 9));
    let spec = Spec::from_bytes("s.yaml", source.as_bytes()).unwrap();
    let code = codegen::generate(&spec, &Settings::default()).unwrap().code;
    assert!(
        code.contains("\"form-data\""),
        "the Content-Type as written"
    );
}

/// The generated `send()` writes media types with
/// `HeaderValue::from_static`, which panics on a byte that is not visible
/// ASCII or a tab: such a media type is sent as
/// `application/octet-stream`, with a warning where it was written.
#[test]
fn a_media_type_that_is_no_header_value_is_octet_stream() {
    let source = format!(
        "{HEAD}paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          'text/plain; x=\u{e9}': {{schema: {{type: string}}}}
      responses:
        '200':
          description: ok
          content:
            \"application/problem+json\\x07\": {{schema: {{type: string}}}}
"
    );
    let all = warnings("s.yaml", &source);
    let body = all
        .iter()
        .find(|d| d.message.starts_with("request body media type"))
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(
        body.message,
        "request body media type `text/plain; x=\u{e9}` is not a valid header value; \
         it is treated as `application/octet-stream`"
    );
    assert_eq!(
        body.pointer.as_deref(),
        Some("/paths/~1a/post/requestBody/content/text~1plain; x=\u{e9}")
    );
    assert_eq!(body.location, at(11, 11));
    let response = all
        .iter()
        .find(|d| d.message.starts_with("response media type"))
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(
        response.message,
        "response media type `application/problem+json\\u{7}` is not a valid header value; \
         it is treated as `application/octet-stream`"
    );
    assert_eq!(
        response.pointer.as_deref(),
        Some("/paths/~1a/post/responses/200/content/application~1problem+json\u{7}")
    );
    let spec = Spec::from_bytes("s.yaml", source.as_bytes()).unwrap();
    let code = codegen::generate(&spec, &Settings::default()).unwrap().code;
    assert!(
        !code.contains("x=\u{e9}") && !code.contains("\\u{7}"),
        "{code}"
    );
    assert!(code.contains("application/octet-stream"), "{code}");
}

/// A `multipart/form-data` body of an object schema is typed (its binary
/// field a `FilePart`, the body built as multipart); one that is not an
/// object degrades to a raw body with a fixed boundary: the operation
/// stays callable, the warnings say why and how, and coverage counts it.
#[test]
fn multipart_bodies_are_typed_or_sent_raw() {
    let source = format!(
        "{HEAD}paths:
  /a:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data: {{schema: {{type: object, properties: {{file: {{type: string, format: binary}}}}}}}}
      responses:
        '204': {{description: ok}}
  /b:
    post:
      operationId: uploadRaw
      requestBody:
        content:
          multipart/form-data: {{schema: {{type: string}}}}
      responses:
        '204': {{description: ok}}
"
    );
    let found = warnings("s.yaml", &source);
    assert!(
        found
            .iter()
            .all(|d| !d.pointer.as_deref().unwrap_or("").starts_with("/paths/~1a")),
        "{found:#?}"
    );
    let why = found
        .iter()
        .find(|d| d.message.contains("is not an object with `properties`"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(why.location, at(19, 33));
    let d = found
        .iter()
        .find(|d| {
            d.message
                .starts_with("request body `multipart/form-data` is sent as a raw body")
        })
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        d.message.contains(
            "`Content-Type: multipart/form-data; boundary=alakazam-part-boundary-7MA4YWxkTrZu0gW`"
        ),
        "{d}"
    );
    assert_eq!(d.location, at(19, 11));
    let spec = Spec::from_bytes("s.yaml", source.as_bytes()).unwrap();
    let generated = codegen::generate(&spec, &Settings::default()).unwrap();
    assert!(
        generated
            .code
            .contains("multipart/form-data; boundary=alakazam-part-boundary-7MA4YWxkTrZu0gW"),
        "the raw request names the boundary"
    );
    assert!(
        generated
            .code
            .contains("pub file: Option<crate::runtime::FilePart>"),
        "{}",
        generated.code
    );
    assert!(generated.code.contains(".files(\"file\", &body.file)?"));
    assert_eq!(
        generated.coverage.operations_degraded,
        [("/paths/~1b/post".to_owned(), d.message.clone())]
    );
}

#[test]
fn a_file_that_cannot_be_read() {
    let err = Spec::load("/nonexistent/spec.yaml").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("error: cannot read /nonexistent/spec.yaml:"),
        "{err}"
    );
}

/// A panic inside typify (here: `not` of an enum of a number and a
/// string, which typify does not handle) is an error that names the
/// operation or the schema, located at it; no panic escapes.
#[test]
fn a_panic_inside_the_generator_costs_only_its_construct() {
    // In an operation: the operation is left out, the rest generates.
    let source = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: m\n          in: query\n          schema: {{not: {{enum: [1, a]}}}}\n      responses:\n        '204': {{description: ok}}\n  /b:\n    get:\n      operationId: b\n      responses:\n        '204': {{description: ok}}\n"
    );
    let spec = Spec::from_bytes("s.yaml", source.as_bytes()).unwrap();
    let generated = codegen::generate(&spec, &Settings::default()).unwrap();
    let d = generated
        .warnings
        .iter()
        .find(|w| w.message.contains("failed"))
        .unwrap();
    assert!(
        d.message.starts_with(
            "progenitor failed on operation GET /a (multiple implied types for an un-typed enum"
        ) && d.message.ends_with("it is left out of the client"),
        "{}",
        d.message
    );
    assert_at(d, "/paths/~1a/get", 7, 5);
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("cannot handle this construct")
    );
    assert!(
        generated.code.contains("pub fn b("),
        "the other operation stays"
    );
    assert!(!generated.code.contains("pub fn a("));
    assert_eq!(generated.coverage.operations, 2);
    assert_eq!(generated.coverage.operations_degraded.len(), 1);
    // --deny-warnings makes it an error again.
    let denied = codegen::generate(
        &spec,
        &Settings {
            deny_warnings: true,
            ..Settings::default()
        },
    );
    assert!(matches!(denied, Err(Error::Spec(_))));

    // In a component schema: the schema becomes any JSON value.
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Fine: {{type: string}}\n    Holder:\n      properties:\n        mark: {{not: {{enum: [1, a]}}}}\n"
        ),
    );
    let d = all.iter().find(|w| w.message.contains("failed")).unwrap();
    assert!(
        d.message.starts_with(
            "the generator failed on schema `Holder` (multiple implied types for an un-typed enum"
        ) && d.message.ends_with("it is typed as any JSON value"),
        "{}",
        d.message
    );
    assert_at(d, "/components/schemas/Holder", 9, 5);
}

/// A problem inside a node that normalization moved (an inline body
/// hoisted to `#/components/schemas`, a shared response copied into an
/// operation) is still reported where the user wrote it.
#[test]
fn problems_in_moved_nodes_point_at_the_source() {
    let all = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                count: {{type: integer, minimum: [1]}}
      responses:
        '200': {{description: ok}}
"
        ),
    );
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0].message.starts_with(
            "the schema does not read as an OpenAPI 3.0 schema (invalid type: sequence"
        ),
        "{}",
        all[0].message
    );
    assert_eq!(
        all[0].pointer.as_deref(),
        Some(
            "/paths/~1a/post/requestBody/content/application~1json/schema/properties/count/minimum"
        )
    );
    assert_eq!(all[0].location, at(15, 40));
}

/// An operation answering with `#/components/schemas/K`, and the schemas.
fn with_schemas(schemas: &str) -> String {
    format!(
        "{HEAD}paths:
  /k:
    get:
      operationId: getK
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/K'}}
components:
  schemas:
{schemas}"
    )
}

/// The warnings of `source` that break a cycle typify would expand until the
/// stack overflows (which aborts the process).
fn broken_cycles(name: &str, source: &str) -> Vec<Diagnostic> {
    warnings(name, source)
        .into_iter()
        .filter(|d| d.message.ends_with(BROKEN))
        .collect()
}

const BROKEN: &str = "; this reference is typed as any JSON value";

fn one_broken_cycle(name: &str, source: &str) -> Diagnostic {
    let mut all = broken_cycles(name, source);
    assert_eq!(all.len(), 1, "{all:#?}");
    let mut d = all.remove(0);
    d.message.truncate(d.message.len() - BROKEN.len());
    d
}

/// A schema composed of itself would make typify merge it until the stack
/// overflows, which aborts the process: the reference that closes the
/// cycle is typed as any JSON value instead, a located warning (an error
/// when warnings are denied).
#[test]
fn schemas_made_of_themselves() {
    let d = one_broken_cycle(
        "s.yaml",
        &with_schemas(
            "    Named:
      allOf: [{$ref: '#/components/schemas/Named'}]
    K:
      allOf: [{$ref: '#/components/schemas/Named'}, {type: object}]
",
        ),
    );
    assert_eq!(
        d.message,
        "schema `Named` is made of itself through `allOf`: Named → Named"
    );
    assert_at(&d, "/components/schemas/Named/allOf/0/$ref", 18, 22);
    // Denied, the warning is the error it was.
    let spec = Spec::from_bytes(
        "s.yaml",
        with_schemas(
            "    Named:
      allOf: [{$ref: '#/components/schemas/Named'}]
    K:
      allOf: [{$ref: '#/components/schemas/Named'}, {type: object}]
",
        )
        .as_bytes(),
    )
    .unwrap();
    let denied = Settings {
        deny_warnings: true,
        ..Settings::default()
    };
    match codegen::generate(&spec, &denied) {
        Err(e) => assert!(e.to_string().contains("made of itself"), "{e}"),
        Ok(_) => panic!("a broken cycle is an error when warnings are denied"),
    }
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("refer to it from a property or from `items`"),
        "{d}"
    );

    // Two schemas, each an `allOf` of the other.
    let d = one_broken_cycle(
        "s.yaml",
        &with_schemas(
            "    A:
      allOf:
        - $ref: '#/components/schemas/B'
    B:
      allOf:
        - $ref: '#/components/schemas/A'
        - {type: object, properties: {b: {type: string}}}
    K:
      type: object
      properties:
        a: {$ref: '#/components/schemas/A'}
",
        ),
    );
    assert_eq!(
        d.message,
        "schema `A` is made of itself through `allOf`: A → B → A"
    );
    assert_at(&d, "/components/schemas/B/allOf/0/$ref", 22, 17);

    // Through a `oneOf` nested inline in an `allOf` member.
    let d = one_broken_cycle(
        "s.yaml",
        &with_schemas(
            "    K:
      allOf:
        - oneOf:
            - {type: string}
            - $ref: '#/components/schemas/K'
",
        ),
    );
    assert_eq!(
        d.message,
        "schema `K` is made of itself through `allOf`: K → K"
    );
    assert_at(&d, "/components/schemas/K/allOf/0/oneOf/1/$ref", 21, 21);
}

/// A `oneOf` of itself generates an untagged enum whose decoding tries
/// itself first, forever: broken like the `allOf` cycles.
#[test]
fn a_one_of_of_itself() {
    let d = one_broken_cycle(
        "s.yaml",
        &with_schemas(
            "    A:
      oneOf: [{$ref: '#/components/schemas/B'}, {type: string}]
    B:
      oneOf: [{$ref: '#/components/schemas/A'}, {type: integer}]
    K: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}
",
        ),
    );
    assert_eq!(
        d.message,
        "schema `A` is made of itself through `oneOf`: A → B → A"
    );
    assert_eq!(d.location, at(20, 22));
}

/// A base that lists its subtypes in `oneOf` while each subtype extends it
/// with `allOf` is the same cycle (typify overflowed its stack on it): one
/// warning per cycle broken, with a help for that idiom.
#[test]
fn a_base_that_lists_its_subtypes() {
    let all = broken_cycles(
        "s.yaml",
        &with_schemas(
            "    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator: {propertyName: kind}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {type: object, properties: {kind: {type: string}, meows: {type: boolean}}}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {type: object, properties: {kind: {type: string}, barks: {type: boolean}}}
    K: {$ref: '#/components/schemas/Pet'}
",
        ),
    );
    let found: Vec<(&str, &str, Option<Location>)> = all
        .iter()
        .map(|d| {
            (
                d.message.as_str(),
                d.pointer.as_deref().unwrap_or(""),
                d.location,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "schema `Cat` is made of itself through `allOf` and `oneOf`: Cat → Pet → Cat; this reference is typed as any JSON value",
                "/components/schemas/Pet/oneOf/0/$ref",
                at(19, 17)
            ),
            (
                "schema `Pet` is made of itself through `allOf` and `oneOf`: Pet → Dog → Pet; this reference is typed as any JSON value",
                "/components/schemas/Dog/allOf/0/$ref",
                at(28, 17)
            ),
        ]
    );
    assert!(
        all[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("a base schema that lists its subtypes in `oneOf`/`anyOf` while they extend it with `allOf`"),
        "{}",
        all[0]
    );
}

/// typify merges `allOf` members property by property: a property both
/// members define with references that lead back into the merge would
/// recurse forever. Located at the reference that starts it again.
#[test]
fn an_all_of_merge_that_never_ends() {
    let d = one_broken_cycle(
        "s.yaml",
        &with_schemas(
            "    Base:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Base'}}
    K:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            children: {type: array, items: {$ref: '#/components/schemas/K'}}
",
        ),
    );
    assert_eq!(
        d.message,
        "the `allOf` of `K` cannot be merged: the merge never ends (Base → K → Base)"
    );
    assert_at(&d, "/components/schemas/K/allOf/0/$ref", 23, 17);
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("give that property the same schema in each member"),
        "{d}"
    );
}

/// Keywords beside a reference make typify merge it into a copy of the
/// referenced schema; when that copy holds the same schema again, each
/// copy makes another.
#[test]
fn a_merged_copy_that_contains_itself() {
    let d = one_broken_cycle(
        "s.yaml",
        &with_schemas(
            "    Item:
      type: object
      properties:
        name: {type: string}
        parent:
          allOf: [{$ref: '#/components/schemas/Item'}]
          required: [name]
    K: {type: object, properties: {item: {$ref: '#/components/schemas/Item'}}}
",
        ),
    );
    assert_eq!(
        d.message,
        "the schema at #/components/schemas/Item/properties/parent expands forever: merged with `Item`, it becomes a copy of `Item` that contains it again"
    );
    assert_at(
        &d,
        "/components/schemas/Item/properties/parent/allOf/0/$ref",
        22,
        26,
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("(`required` here); move them into the referenced schema, or drop them"),
        "{d}"
    );
}

/// An `allOf` whose members hold `anyOf`s and extend one another makes
/// typify merge every alternative with every other, without end in
/// practice: that schema is typed as any JSON value, where it is written,
/// and the rest generates.
#[test]
fn a_merge_whose_alternatives_multiply() {
    let level = |n: usize| {
        let parents: String = (0..n)
            .map(|l| format!("{{$ref: '#/components/schemas/S{l}'}}, "))
            .collect();
        format!(
            "    S{n}:\n      allOf: [{parents}{{anyOf: [{{type: object, properties: {{p{n}: {{type: string}}}}}}, {{type: object, properties: {{z: {{type: string}}}}}}]}}]\n"
        )
    };
    let schemas: String = (0..3).map(level).collect::<String>()
        + "    K: {type: object, properties: {s: {$ref: '#/components/schemas/S2'}}}\n";
    let all: Vec<Diagnostic> = warnings("s.yaml", &with_schemas(&schemas))
        .into_iter()
        .filter(|d| d.message.contains("cannot be merged in reasonable time"))
        .collect();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].message,
        "the `allOf` of `S2` cannot be merged in reasonable time: its members' `anyOf`/`oneOf` alternatives multiply as they are merged; this schema is typed as any JSON value"
    );
    assert_at(&all[0], "/components/schemas/S2", 21, 5);
}

/// Recursion through properties and items is an ordinary recursive type:
/// still generated, also inside an `allOf`.
#[test]
fn recursive_types_still_generate() {
    let found = warnings(
        "s.yaml",
        &with_schemas(
            "    Named:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Named'}}
    K:
      allOf:
        - $ref: '#/components/schemas/Named'
        - type: object
          properties:
            next: {$ref: '#/components/schemas/K'}
            children: {type: array, items: {$ref: '#/components/schemas/Named'}}
            labels: {type: object, additionalProperties: {$ref: '#/components/schemas/K'}}
",
        ),
    );
    assert!(found.is_empty(), "{found:#?}");
}

/// progenitor `todo!()`s on a `type` it does not know: the schema is
/// typed as any JSON value (`file`, Swagger 2.0's, as a binary string),
/// each a located warning with the types listed.
#[test]
fn schema_types_that_do_not_exist() {
    let all = warnings(
        "s.yaml",
        &with_schemas(
            "    K:
      type: object
      properties:
        a: {type: strin}
        b: {type: 'null'}
        c:
          type: title
        d: {type: null}
        e: {type: file}
",
        ),
    );
    let found: Vec<(&str, &str, Option<Location>)> = all
        .iter()
        .map(|d| {
            (
                d.message.as_str(),
                d.pointer.as_deref().unwrap_or(""),
                d.location,
            )
        })
        .collect();
    let any = "is not a schema type; the schema is typed as any JSON value";
    assert_eq!(
        found,
        [
            (
                &*format!("`strin` {any}"),
                "/components/schemas/K/properties/a/type",
                at(20, 19)
            ),
            (
                &*format!("`null` {any}"),
                "/components/schemas/K/properties/b/type",
                at(21, 19)
            ),
            (
                &*format!("`title` {any}"),
                "/components/schemas/K/properties/c/type",
                at(23, 17)
            ),
            (
                &*format!("`null` {any}"),
                "/components/schemas/K/properties/d/type",
                at(24, 19)
            ),
            (
                "`file` is not an OpenAPI 3 schema type (Swagger 2.0 spells binary data so); typed as `type: string, format: binary`",
                "/components/schemas/K/properties/e/type",
                at(25, 19)
            ),
        ]
    );
    assert!(all.iter().all(|d| !d.is_error()));
    assert_eq!(
        all[0].help.as_deref(),
        Some(
            "did you mean `string`? the types are `string`, `number`, `integer`, `boolean`, `array`, `object`"
        )
    );
    assert!(
        all[1].help.as_deref().unwrap().starts_with(
            "OpenAPI 3.0 has no `null` type: give the schema its type and `nullable: true`"
        ),
        "{}",
        all[1]
    );
    assert_eq!(
        all[2].help.as_deref(),
        Some("the types are `string`, `number`, `integer`, `boolean`, `array`, `object`")
    );
    // `--deny-warnings` keeps the strictness.
    let spec =
        Spec::from_bytes("s.yaml", with_schemas("    K: {type: strin}\n").as_bytes()).unwrap();
    let denied = codegen::generate(
        &spec,
        &Settings {
            deny_warnings: true,
            ..Default::default()
        },
    );
    assert!(denied.is_err());
}

/// A `default` or `enum` value of another JSON type than the schema's
/// made typify fail with a dump of its internals; it is left out with a
/// located warning (see normalize/values.rs for why not an error).
#[test]
fn defaults_and_enum_values_of_another_type() {
    let found = warnings(
        "s.yaml",
        &with_schemas(
            "    K:
      type: object
      properties:
        name: {type: string, default: 5}
        size:
          type: integer
          enum: [1, x, 3]
        tags: {type: array, items: {type: string}, default: [a, 1]}
",
        ),
    );
    let found: Vec<(&str, &str, Option<Location>)> = found
        .iter()
        .map(|d| {
            (
                d.message.as_str(),
                d.pointer.as_deref().unwrap_or(""),
                d.location,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            // `enum`s first: a default is judged against what is left.
            (
                "`enum` value \"x\" is not an integer (`type: integer`); it is left out",
                "/components/schemas/K/properties/size/enum/1",
                at(23, 21)
            ),
            (
                "`default` does not match the schema: 5 is not a string; it is left out",
                "/components/schemas/K/properties/name/default",
                at(20, 39)
            ),
            (
                "`default` does not match the schema: item 1: 1 is not a string; it is left out",
                // A collection is located at its key.
                "/components/schemas/K/properties/tags/default",
                at(24, 52)
            ),
        ]
    );

    // Values that can be written as the type without loss are; an enum
    // with no value of its type at all is left out (the type stays).
    let found = warnings(
        "s.yaml",
        &with_schemas(
            "    K: {type: string, enum: [1, 2.5]}\n    L: {type: integer, enum: [a, b]}\n",
        ),
    );
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`enum` value 1 is not a string (`type: string`); read as \"1\"",
            "`enum` value 2.5 is not a string (`type: string`); read as \"2.5\"",
            "no value of `enum` is an integer (`type: integer`); the `enum` is left out and any integer is accepted",
        ]
    );
    assert_at(&found[0], "/components/schemas/K/enum/0", 17, 30);
    assert_at(&found[2], "/components/schemas/L/enum", 18, 24);
}

/// A reference to a node that is no component (as bundlers write them)
/// is followed: its target becomes a component, with a warning located
/// where the reference is written; a problem inside the target is located
/// where the target is written.
#[test]
fn references_to_any_pointer_are_rewritten() {
    let source = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  inner: {{type: object, properties: {{x: {{type: string}}}}}}\n  /b:\n    get:\n      responses:\n        '200':\n          $ref: '#/paths/~1a/get/responses/200'\n"
    );
    let all = warnings("s.yaml", &source);
    let d = all
        .iter()
        .find(|d| {
            d.message
                .starts_with("reference `#/paths/~1a/get/responses/200`")
        })
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(
        d.message,
        "reference `#/paths/~1a/get/responses/200` does not name a component: rewritten to `#/components/responses/AGet200`"
    );
    assert_at(d, "/paths/~1b/get/responses/200/$ref", 21, 17);

    let bad = source.replace("x: {type: string}", "x: {type: strin}");
    let d = warnings("s.yaml", &bad)
        .into_iter()
        .find(|d| d.message.contains("strin"))
        .unwrap();
    let pointer = d.pointer.as_deref().unwrap();
    assert!(
        pointer.starts_with("/paths/~1a/get/responses/200/content"),
        "{d}"
    );
    assert_eq!(d.location.map(|l| l.line), Some(16), "{d}");
}

#[test]
fn dangling_and_cyclic_pointer_references_stay_errors() {
    let all = errors(
        "s.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        a: {{$ref: '#/components/schemas/A/properties/nope'}}\n        b: {{$ref: '#/components/schemas/A/properties/c'}}\n        c: {{$ref: '#/components/schemas/A/properties/b'}}\n"
        ),
    );
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(
            &"dangling reference `#/components/schemas/A/properties/nope`: nothing is defined there"
        ),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("cyclic reference `#/components/schemas/A/properties/c`")),
        "{messages:#?}"
    );
}

/// Query parameters of every style generate, as do path parameters of
/// every style (the runtime writes them); a header parameter of a style
/// headers do not have is left out with a warning at it, the spec still
/// generates.
#[test]
fn query_and_path_styles_generate_and_other_header_styles_degrade() {
    let spec = |location: &str, style: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x/{{id}}:\n    get:\n      operationId: getX\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {{type: string}}\n        - name: f\n          in: {location}\n          required: true\n          style: {style}\n          schema:\n            type: array\n            items: {{type: string}}\n      responses:\n        '204': {{description: ok}}\n"
        )
    };
    for style in ["deepObject", "pipeDelimited", "spaceDelimited", "form"] {
        assert!(
            warnings("q.yaml", &spec("query", style)).is_empty(),
            "{style}"
        );
    }
    for style in ["label", "matrix", "simple"] {
        let styled = spec("query", "form").replace(
            "in: path\n          required: true\n",
            &format!("in: path\n          required: true\n          style: {style}\n"),
        );
        assert!(warnings("p.yaml", &styled).is_empty(), "{style}");
    }
    let found = warnings("h.yaml", &spec("header", "matrix"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .pointer
            .as_deref()
            .is_some_and(|p| p.starts_with("/paths/~1x~1{id}/get/parameters/1")),
        "{found:#?}"
    );
}

/// A scheme no `components.securitySchemes` declares is left out, with a
/// warning at its requirement.
#[test]
fn undeclared_security_schemes_are_left_out() {
    let found = warnings(
        "s.yaml",
        &format!(
            "{HEAD}paths:
  /a:
    get:
      operationId: a
      security:
        - ghost: []
        - token: []
      responses:
        '204': {{description: ok}}
components:
  securitySchemes:
    token: {{type: http, scheme: bearer}}
"
        ),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "security scheme `ghost` is not declared in `components.securitySchemes`; \
         this alternative is left out, another can be met"
    );
    assert_at(&found[0], "/paths/~1a/get/security/0", 10, 16);
    assert_eq!(
        found[0].help.as_deref(),
        Some(
            "declare the scheme under `components.securitySchemes`, or name a declared one: `token`"
        )
    );
}

/// Each node the typed model cannot read costs only that node: a schema is
/// any JSON value, a response loses its body, anything else is left out
/// (with the references to it), each a warning where it is written; with
/// `--deny-warnings` they are errors.
#[test]
fn unreadable_nodes_are_degraded_each_alone() {
    const NAME: &str = "unreadable_nodes.yaml";
    let source = include_str!("fixtures/unreadable_nodes.yaml");
    let all = warnings(NAME, source);
    let found: Vec<(&str, &str, Option<Location>)> = all
        .iter()
        .map(|d| {
            let kind = d.message.split(" does not read").next().unwrap();
            (kind, d.pointer.as_deref().unwrap_or(""), d.location)
        })
        .collect();
    assert_eq!(
        found,
        [
            // A requirement naming the scheme left out below.
            (
                "security scheme `magic` is not declared in `components.securitySchemes`; this alternative is left out, another can be met",
                "/security/0",
                at(8, 10)
            ),
            (
                "the parameter",
                "/paths/~1items~1{id}/get/parameters/0/in",
                at(23, 15)
            ),
            (
                "the schema",
                "/paths/~1items~1{id}/get/parameters/2/schema/maxLength",
                at(32, 24)
            ),
            (
                "the header",
                "/paths/~1items~1{id}/get/responses/200/headers/X-Broken/style",
                at(41, 15)
            ),
            (
                "the response",
                "/paths/~1items~1{id}/get/responses/404/description",
                at(49, 11)
            ),
            (
                "the request body",
                "/paths/~1items~1{id}/put/requestBody/required",
                at(57, 19)
            ),
            (
                "the operation",
                "/paths/~1items~1{id}/delete/operationId",
                at(66, 7)
            ),
            (
                "the schema",
                "/paths/~1search/post/responses/200/content/application~1json/schema/items/type",
                at(96, 19)
            ),
            (
                "the media type",
                "/paths/~1search/post/responses/200/content/text~1csv/examples",
                at(89, 25)
            ),
            ("the schema", "/components/schemas/Loose/type", at(107, 7)),
            // Hoisted to a component of its own: reported where it is written.
            (
                "the schema",
                "/paths/~1search/post/requestBody/content/application~1json/schema/properties/sort/type",
                at(80, 19)
            ),
            (
                "the parameter",
                "/components/parameters/Broken/explode",
                at(115, 16)
            ),
            (
                "the security scheme",
                "/components/securitySchemes/magic/type",
                at(122, 13)
            ),
            (
                "the reference names `#/components/parameters/Broken`, which is left out; it is left out too",
                "/paths/~1items~1{id}/get/parameters/1",
                at(27, 15)
            ),
        ]
    );
    assert!(all.iter().all(|d| !d.is_error()));
    assert_eq!(
        all[1].message,
        "the parameter does not read as OpenAPI 3.0 (unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`); it is left out"
    );
    assert_eq!(
        all[4].message,
        "the response does not read as an OpenAPI 3.0 response (invalid type: sequence, expected a string); it is left without a body, not decoded"
    );
    assert_eq!(
        all[9].message,
        "the schema does not read as an OpenAPI 3.0 schema (invalid type: map, expected a string); it is typed as any JSON value"
    );

    // What is left generates: the operations that read, their parameters
    // that read, the schema's description kept.
    let spec = Spec::from_bytes(NAME, source.as_bytes()).unwrap();
    let generated = codegen::generate(&spec, &Settings::default()).unwrap();
    let code = &generated.code;
    assert!(code.contains("pub fn get_item("), "{code}");
    assert!(code.contains("pub fn put_item("));
    assert!(!code.contains("pub fn delete_item("));
    assert!(code.contains("pub fn limit("));
    assert!(!code.contains("pub fn legacy(") && !code.contains("pub fn broken("));
    assert!(code.contains("Whatever the server stores"));
    assert!(code.contains("Sorting criteria, any shape"));

    // Denied, every one is an error and nothing is generated.
    let denied = codegen::generate(
        &spec,
        &Settings {
            deny_warnings: true,
            ..Default::default()
        },
    );
    match denied {
        Err(Error::Spec(report)) => {
            let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert_eq!(errors.len(), all.len(), "{report}");
        }
        other => panic!("expected the warnings denied, got {other:?}"),
    }
}

/// A `$ref` of every kind to a pointer outside `components` resolves: the
/// spec generates, each reference said once where it is written (also
/// when a path item by reference copies it), an operation's callback by
/// reference copied in place.
#[test]
fn references_of_every_kind_to_any_pointer_resolve() {
    let source = include_str!("fixtures/pointer_refs_every_kind.yaml");
    let all = warnings("pointer_refs_every_kind.yaml", source);
    let rewritten: Vec<(&str, Option<Location>)> = all
        .iter()
        .filter(|d| d.message.starts_with("reference `"))
        .map(|d| (d.pointer.as_deref().unwrap(), d.location))
        .collect();
    let sections: Vec<&str> = all
        .iter()
        .filter_map(|d| d.message.split("rewritten to `#/components/").nth(1))
        .map(|rest| rest.split('/').next().unwrap())
        .collect();
    for kind in [
        "schemas",
        "headers",
        "links",
        "responses",
        "parameters",
        "requestBodies",
    ] {
        assert!(sections.contains(&kind), "{kind}: {all:#?}");
    }
    let unique: std::collections::BTreeSet<_> = rewritten.iter().map(|(p, _)| *p).collect();
    assert_eq!(unique.len(), rewritten.len(), "each reference is said once");
    assert_eq!(rewritten.len(), 11, "{all:#?}");
    assert_eq!(
        rewritten[0],
        (
            "/paths/~1pets/post/requestBody/content/application~1json/schema/$ref",
            at(62, 21)
        )
    );
    assert!(
        all.iter().all(
            |d| !d.message.contains("does not resolve") && !d.message.contains("does not read")
        ),
        "{all:#?}"
    );
}

/// progenitor's typed mocks name a method after a status code's reason
/// phrase, and panic on a code that has none: that operation's mock is
/// left out, the client keeps it.
#[test]
fn an_operation_whose_mock_fails_keeps_its_client_call() {
    let source = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '299': {{description: odd, content: {{application/json: {{schema: {{type: string}}}}}}}}\n  /b:\n    get:\n      operationId: b\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: string}}}}}}}}\n"
    );
    let spec = Spec::from_bytes("s.yaml", source.as_bytes()).unwrap();
    let settings = Settings {
        httpmock: Some("crate".to_owned()),
        ..Settings::default()
    };
    let generated = codegen::generate(&spec, &settings).unwrap();
    let d = generated
        .warnings
        .iter()
        .find(|w| w.message.contains("typed mock is left out"))
        .unwrap();
    assert_at(d, "/paths/~1a/get", 7, 5);
    assert!(generated.code.contains("pub fn a("), "the client keeps it");
    let mock = generated.httpmock.unwrap();
    assert!(mock.contains("fn b<") && !mock.contains("fn a<"), "{mock}");
}
