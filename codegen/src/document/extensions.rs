//! The `x-codegen-*` extensions one stage writes into the document for a
//! later one to read: their names are the contract between the two.

/// Set by normalization on a request body whose kept media type is not the
/// one progenitor writes in `Content-Type` (`application/merge-patch+json`
/// sent as JSON): the generated `send()` sends this one.
pub(crate) const CONTENT_TYPE_EXTENSION: &str = "x-codegen-content-type";

/// The extension that keeps a response's real media type where it was
/// renamed to `application/json`: the client must ask for it in `Accept`
/// (a server that has no `application/json` may answer 406 otherwise).
pub(crate) const ACCEPT_EXTENSION: &str = "x-codegen-accept";

/// Set by normalization on a request body sent as `multipart/form-data`
/// or `application/x-www-form-urlencoded` from a typed model: how each
/// field goes on the wire (`{"kind": "multipart", "parts": {name: {"part":
/// "file"|"json"|"text", "contentType": ..}}}` or `{"kind": "form",
/// "encoding": {name: {"style": .., "explode": ..}}}`). The media type
/// progenitor sees is JSON (multipart) or form; the generated `send()`
/// builds the real body from this.
pub(crate) const BODY_EXTENSION: &str = "x-codegen-body";

/// The `format` normalization gives a binary field of a multipart body:
/// the generator maps exactly `{type: string, format: this}` to the
/// runtime's `FilePart` (a plain `format: binary` elsewhere stays a
/// string).
pub(crate) const FILE_FORMAT: &str = "x-codegen-file";

/// Set (to `true`) by normalization on a schema whose `anyOf` it typed as
/// a `oneOf` (`normalize/unions.rs`): a value may still match several
/// members, so a validator of the normalized document (the contract
/// check's) must read the `oneOf` as the `anyOf` it was.
pub const ANY_OF_EXTENSION: &str = "x-codegen-any-of";

/// Set by normalization on an object schema whose `anyOf` or `oneOf` of
/// `required` lists it took out of the type (`normalize/unions.rs`): the
/// union, as the spec wrote it (`{"anyOf": [{"required": […]}, …]}`).
/// typify types such a union as an enum whose variants leave out each
/// other's fields, or as variants no value inhabits when the lists share a
/// name; without it the type is the plain struct, which holds every value
/// the spec allows. A validator of the normalized document (the contract
/// check's) puts it back (`restore_presence`). Set to `true` on an array
/// property such a union names, which normalization made `nullable` so
/// that its field is an `Option<Vec<_>>` that keeps `[]`.
pub const PRESENCE_EXTENSION: &str = "x-codegen-presence";

/// Set by normalization on a parameter it renamed because another
/// parameter of the operation, or the builder, has its Rust name
/// (`frontendApi` beside `frontend_api`, a query `list_id` beside the
/// path's): the generated setter takes the new name, and `send()` and the
/// typed mocks send and match this one (the query key, the header name).
pub(crate) const WIRE_NAME_EXTENSION: &str = "x-codegen-wire-name";

/// Set (to `true`) by normalization on a query parameter the spec types
/// with `content: {application/json: {schema}}` instead of a `schema`:
/// the schema is moved to `schema` (so the setter is typed), and `send()`
/// writes the value as one JSON text.
pub(crate) const JSON_PARAMETER_EXTENSION: &str = "x-codegen-json";

/// Set (to `true`) at the root by normalization when it renamed
/// properties whose Rust field names collide (`normalize/field_names.rs`):
/// keys carrying `naming::MARK` are in the document, and the generator
/// writes them back as their wire names.
pub(crate) const MARKED_NAMES_EXTENSION: &str = "x-codegen-marked-names";

/// Set by normalization (`normalize/pagination.rs`) on a list operation
/// that pages: how (`{"how", "items", "has_more", "next"}`, the keys of
/// the page and the wire names of the parameters). The generator writes
/// its entry in the `pagination` table and `pages()` and `stream()` on
/// its builder; the naming authority keeps those two names free.
pub(crate) const PAGINATION_EXTENSION: &str = "x-codegen-pagination";

/// Set by normalization on a `GET` that looks like a list but returns
/// one page: why (the coverage report lists it).
pub(crate) const SINGLE_PAGE_EXTENSION: &str = "x-codegen-single-page";

/// On each operation that documents error responses: what the body of
/// each error status is, before the statuses share one type for
/// progenitor. A status key maps to `{"schema": "<component name>"}`
/// (decoded as that component's type), `{"json": true}` (decoded as
/// JSON, the schema having no name), `{"text": true}` (a body that is not
/// JSON) or `{"none": true}` (no body). The generator reads it
/// (`generate/error_bodies.rs`); normalization's `responses` pass writes it.
pub(crate) const ERROR_BODIES_EXTENSION: &str = "x-codegen-error-bodies";
