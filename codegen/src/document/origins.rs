//! Where the nodes of a rewritten document came from.
//!
//! Normalization moves and copies nodes (hoisting a schema, inlining a
//! shared response); every diagnostic must still point at the node the
//! author wrote. A pass records each move here, and every later finding or
//! check maps its pointer back through [`Origins::source`].

/// Where moved or copied nodes came from: `(new prefix, old prefix)`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    moves: Vec<(String, String)>,
}

impl Origins {
    /// Records that the node now at `new` was at `old` in the source (or
    /// at `old` in an earlier state of the document, itself mapped).
    pub(crate) fn record(&mut self, new: &str, old: &str) {
        let old = self.source(old);
        self.moves.push((new.to_owned(), old));
    }

    /// Records moves made at once (a reordering): each `old` is mapped
    /// before any of them is recorded, so that one move's `new` is not
    /// taken for another's `old`.
    pub(crate) fn record_all(&mut self, moves: &[(String, String)]) {
        let sources: Vec<String> = moves.iter().map(|(_, old)| self.source(old)).collect();
        for ((new, _), old) in moves.iter().zip(sources) {
            self.moves.push((new.clone(), old));
        }
    }

    /// The source pointer of a node at `pointer` in the normalized document.
    pub(crate) fn source(&self, pointer: &str) -> String {
        // The longest matching move wins, and among equals the latest
        // (`max_by_key` keeps the last maximum); moves are few.
        let best = self
            .moves
            .iter()
            .filter(|(new, _)| is_prefix(new, pointer))
            .max_by_key(|(new, _)| new.len());
        match best {
            Some((new, old)) => format!("{old}{}", &pointer[new.len()..]),
            None => pointer.to_owned(),
        }
    }
}

/// `prefix` is `pointer` or one of its ancestors.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer.starts_with(prefix)
        && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_map_moved_nodes_back() {
        let mut o = Origins::default();
        o.record(
            "/components/schemas/ABody",
            "/paths/~1a/post/requestBody/content/application~1json/schema",
        );
        assert_eq!(
            o.source("/components/schemas/ABody/properties/x"),
            "/paths/~1a/post/requestBody/content/application~1json/schema/properties/x"
        );
        assert_eq!(
            o.source("/components/schemas/ABodyX"),
            "/components/schemas/ABodyX"
        );
        // The node now at a place another node left is the later one.
        o.record("/a/0", "/a/1");
        o.record("/a/1", "/a/2");
        o.record("/a/0", "/a/1");
        assert_eq!(o.source("/a/0"), "/a/2");
        // A move of a moved node maps to the first source.
        o.record(
            "/components/schemas/Moved",
            "/components/schemas/ABody/properties/x",
        );
        assert_eq!(
            o.source("/components/schemas/Moved"),
            "/paths/~1a/post/requestBody/content/application~1json/schema/properties/x"
        );
    }
}
