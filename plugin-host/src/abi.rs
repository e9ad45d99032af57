//! The canonical ABI of the plugin world, lifted by hand from the plugin's memory with the
//! same checks, in the same order, as the Go host (go-host/plugin/abi.go).
//!
//! `describe() -> description` returns a pointer to a 24-byte, 4-aligned return area: name
//! (ptr u32 @0, len u32 @4), version (ptr @8, len @12), record-size u32 @16, max-batch u32 @20.
//!
//! `transform(batch: list<u8>) -> result<list<u8>, plugin-error>` takes (ptr, len) of a
//! block from `cabi_realloc(0, 0, 1, len)` and returns a pointer to a 32-byte, 8-aligned
//! return area: discriminant u8 @0 (0 ok, 1 error). Ok: list ptr u32 @8, len u32 @12. Error:
//! message ptr u32 @8, len u32 @12; offset option discriminant u8 @16 (0 none, 1 some),
//! value u64 @24. After reading a result the host calls `cabi_post_<export>(area)`, if
//! exported.

use crate::error::{Error, ErrorKind};

/// Size of `describe`'s return area.
pub(crate) const DESCRIBE_AREA: (u32, u32) = (24, 4);
/// Size and alignment of `transform`'s return area.
pub(crate) const TRANSFORM_AREA: (u32, u32) = (32, 8);
/// Longest name or version a plugin may describe itself with, in bytes.
pub(crate) const MAX_DESCRIBE_STRING: u32 = 256;

/// A [`ErrorKind::Protocol`] error.
pub(crate) fn protocol(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Protocol, message)
}

/// The `len` bytes at `ptr` in `memory`, or a protocol error naming `what` they were for. A
/// zero-length range is valid at any pointer (Rust hands out dangling pointers for empty
/// buffers), inside memory or not.
pub(crate) fn view<'m>(
    memory: &'m [u8],
    what: &str,
    ptr: u32,
    len: u32,
) -> Result<&'m [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    (ptr as usize)
        .checked_add(len as usize)
        .and_then(|end| memory.get(ptr as usize..end))
        .ok_or_else(|| {
            protocol(format!(
                "{what} [{ptr:#x}, +{len}) lies outside the plugin's {} bytes of memory",
                memory.len()
            ))
        })
}

/// The return area of `what` at `ptr`, checked for alignment, null and range (in that order).
pub(crate) fn area<'m>(
    memory: &'m [u8],
    what: &str,
    ptr: u32,
    (size, align): (u32, u32),
) -> Result<&'m [u8], Error> {
    if !ptr.is_multiple_of(align) {
        return Err(protocol(format!(
            "{what} return area {ptr:#x} is not {align}-aligned"
        )));
    }
    if ptr == 0 {
        return Err(protocol(format!("{what} returned a null return area")));
    }
    view(memory, &format!("{what} return area"), ptr, size)
}

/// The little-endian u32 at `at` in a return area.
pub(crate) fn u32_at(area: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&area[at..at + 4]);
    u32::from_le_bytes(word)
}

/// The little-endian u64 at `at` in a return area.
pub(crate) fn u64_at(area: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&area[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The string (ptr u32, len u32 at `at` in `area`) of at most `limit` bytes, which must be
/// UTF-8.
pub(crate) fn string(
    memory: &[u8],
    area: &[u8],
    at: usize,
    what: &str,
    limit: u32,
) -> Result<String, Error> {
    let (ptr, len) = (u32_at(area, at), u32_at(area, at + 4));
    if len > limit {
        return Err(protocol(format!(
            "{what} is {len} bytes long; at most {limit} are allowed"
        )));
    }
    let bytes = view(memory, what, ptr, len)?;
    let text =
        std::str::from_utf8(bytes).map_err(|_| protocol(format!("{what} is not valid UTF-8")))?;
    Ok(text.to_string())
}

/// The plugin-error in a transform return area: a [`ErrorKind::Plugin`] error whose message
/// is cut to `max_message` bytes (at a character boundary, `…` appended) and whose offset
/// lies within the `batch_len` bytes of the batch (at most `batch_len`); or a protocol
/// error if the plugin-error itself is malformed.
pub(crate) fn plugin_error(
    memory: &[u8],
    area: &[u8],
    batch_len: usize,
    max_message: usize,
) -> Error {
    let (ptr, len) = (u32_at(area, 8), u32_at(area, 12));
    let message = match view(memory, "plugin-error message", ptr, len) {
        Ok(bytes) => bytes,
        Err(error) => return error,
    };
    let Ok(message) = std::str::from_utf8(message) else {
        return protocol("plugin-error message is not valid UTF-8");
    };
    let message = if message.len() > max_message {
        let mut cut = max_message;
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &message[..cut])
    } else {
        message.to_string()
    };
    let offset = match area[16] {
        0 => None,
        1 => {
            let offset = u64_at(area, 24);
            if offset > batch_len as u64 {
                return protocol(format!(
                    "plugin-error offset {offset} lies outside the batch of {batch_len} bytes"
                ));
            }
            Some(offset)
        }
        tag => {
            return protocol(format!(
                "plugin-error offset discriminant {tag} (want 0 or 1)"
            ));
        }
    };
    Error {
        offset,
        ..Error::new(ErrorKind::Plugin, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transform return area holding err(plugin-error) with the message at [ptr, +len) and
    /// the offset `offset`.
    fn error_area(ptr: u32, len: u32, offset: Option<u64>) -> [u8; 32] {
        let mut area = [0; 32];
        area[0] = 1;
        area[8..12].copy_from_slice(&ptr.to_le_bytes());
        area[12..16].copy_from_slice(&len.to_le_bytes());
        if let Some(offset) = offset {
            area[16] = 1;
            area[24..32].copy_from_slice(&offset.to_le_bytes());
        }
        area
    }

    #[test]
    fn messages_are_cut_at_a_character_boundary() {
        let memory = "ab€€".as_bytes(); // € is 3 bytes: a b [€] [€]
        let area = error_area(0, memory.len() as u32, None);
        let cut = |max| plugin_error(memory, &area, 0, max).message;
        assert_eq!(cut(8), "ab€€");
        assert_eq!(cut(7), "ab€…");
        assert_eq!(cut(5), "ab€…");
        assert_eq!(cut(4), "ab…");
        assert_eq!(cut(0), "…");
    }

    #[test]
    fn offsets_lie_within_the_batch_or_at_its_end() {
        let memory = b"no";
        for (offset, batch, kind) in [
            (Some(0), 0, ErrorKind::Plugin),
            (Some(10), 10, ErrorKind::Plugin),
            (Some(11), 10, ErrorKind::Protocol),
            (Some(u64::MAX), 10, ErrorKind::Protocol),
            (None, 0, ErrorKind::Plugin),
        ] {
            let error = plugin_error(memory, &error_area(0, 2, offset), batch, 4096);
            assert_eq!(error.kind, kind, "{offset:?} in {batch}: {error}");
        }
    }

    #[test]
    fn empty_ranges_are_valid_anywhere_and_others_must_fit() {
        let memory = [0u8; 16];
        assert!(view(&memory, "x", u32::MAX, 0).is_ok());
        assert!(view(&memory, "x", 16, 0).is_ok());
        assert!(view(&memory, "x", 15, 1).is_ok());
        assert!(view(&memory, "x", 16, 1).is_err());
        assert!(view(&memory, "x", u32::MAX, 2).is_err());
    }

    #[test]
    fn return_areas_are_aligned_non_null_and_inside_memory() {
        let memory = [0u8; 64];
        assert!(area(&memory, "t", 8, TRANSFORM_AREA).is_ok());
        assert!(area(&memory, "t", 4, TRANSFORM_AREA).is_err()); // not 8-aligned
        assert!(area(&memory, "t", 0, TRANSFORM_AREA).is_err()); // null
        assert!(area(&memory, "t", 40, TRANSFORM_AREA).is_err()); // runs past the end
    }
}
