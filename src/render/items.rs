//! Files made of items (the open data: a plan per item of `planer.json`, an
//! indsatsområde per item of `indsatsomraader.json`, a plan's rows per item of
//! `status.csv`), whose unchanged items a production build copies from the file it
//! published last instead of making them again.
//!
//! An item has a key, a hash of everything it is made from (see `open_data`): equal
//! keys give equal bytes, as a page's quick key does. [`ItemsWriter`] writes the file
//! and notes where each item's bytes are ([`ItemAt`]); the next build gets that list
//! back with the published file ([`KeptItems`]) and reads an item's bytes from it when
//! the key is the same. After one plan is edited, the national open data (45 MB) is
//! made from a few dozen items and copies of the rest, not serialized whole.

use std::collections::HashMap;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;

use serde::{Deserialize, Serialize};

/// Where one item's bytes are in a file: the item's key, its offset and length, and a
/// check of its bytes (a file changed behind the manifest's back is not copied from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAt {
    pub key: u128,
    pub offset: u64,
    pub len: u64,
    pub check: u64,
}

/// The file the last build published, with its items by key.
pub struct KeptItems {
    file: std::fs::File,
    at: HashMap<u128, ItemAt>,
}

impl KeptItems {
    pub fn new(file: std::fs::File, items: Vec<ItemAt>) -> KeptItems {
        let at = items.into_iter().map(|a| (a.key, a)).collect();
        KeptItems { file, at }
    }

    /// The bytes of the item with `key`, when the file holds them intact.
    fn bytes(&self, key: u128) -> Option<Vec<u8>> {
        let at = self.at.get(&key)?;
        let mut buf = vec![0; usize::try_from(at.len).ok()?];
        self.file.read_exact_at(&mut buf, at.offset).ok()?;
        (check(&buf) == at.check).then_some(buf)
    }
}

fn check(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Writes a file of items and the framing between them, keeping count of where each
/// item lands.
pub struct ItemsWriter<'w> {
    out: &'w mut dyn Write,
    kept: Option<&'w KeptItems>,
    pos: u64,
    items: Vec<ItemAt>,
    buf: Vec<u8>,
    /// Items made, and all items.
    made: usize,
    all: usize,
}

impl<'w> ItemsWriter<'w> {
    pub fn new(out: &'w mut dyn Write, kept: Option<&'w KeptItems>) -> ItemsWriter<'w> {
        ItemsWriter {
            out,
            kept,
            pos: 0,
            items: Vec::new(),
            buf: Vec::new(),
            made: 0,
            all: 0,
        }
    }

    /// Bytes that belong to no item (a header, a separator).
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// An item: copied from the last file when it has `key`, else made by `make`.
    /// Without a key it is always made (and not noted for the next build).
    pub fn item(
        &mut self,
        key: Option<u128>,
        make: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        self.all += 1;
        let kept = key.and_then(|k| self.kept.and_then(|kept| kept.bytes(k)));
        let bytes = match kept {
            Some(b) => b,
            None => {
                self.made += 1;
                self.buf.clear();
                make(&mut self.buf)?;
                std::mem::take(&mut self.buf)
            }
        };
        if let Some(key) = key {
            self.items.push(ItemAt {
                key,
                offset: self.pos,
                len: bytes.len() as u64,
                check: check(&bytes),
            });
        }
        self.raw(&bytes)?;
        self.buf = bytes;
        Ok(())
    }

    /// How many items were made (not copied), of how many.
    pub fn made(&self) -> (usize, usize) {
        (self.made, self.all)
    }

    /// Where the items went, for the next build.
    pub fn finish(self) -> Vec<ItemAt> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(
        kept: Option<&KeptItems>,
        items: &[(u128, &str)],
        made: &mut Vec<u128>,
    ) -> (Vec<u8>, Vec<ItemAt>) {
        let mut out = Vec::new();
        let mut w = ItemsWriter::new(&mut out, kept);
        w.raw(b"[").expect("in memory");
        for (n, &(key, text)) in items.iter().enumerate() {
            if n > 0 {
                w.raw(b",").expect("in memory");
            }
            w.item(Some(key), |b| {
                made.push(key);
                b.extend_from_slice(text.as_bytes());
                Ok(())
            })
            .expect("in memory");
        }
        w.raw(b"]").expect("in memory");
        let at = w.finish();
        (out, at)
    }

    fn kept(dir: &std::path::Path, bytes: &[u8], at: Vec<ItemAt>) -> KeptItems {
        let p = dir.join("old");
        std::fs::write(&p, bytes).expect("writable");
        KeptItems::new(std::fs::File::open(&p).expect("readable"), at)
    }

    #[test]
    fn unchanged_items_are_copied_and_the_file_is_the_same() {
        let dir = std::env::temp_dir().join(format!("planspor-items-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp folder");
        let mut made = Vec::new();
        let (old, at) = write(None, &[(1, "en"), (2, "to"), (3, "tre")], &mut made);
        assert_eq!(old, b"[en,to,tre]");
        let last = kept(&dir, &old, at);
        made.clear();
        // Item 2 changed (a new key), 4 is new, 3 moved before 1.
        let (new, at) = write(
            Some(&last),
            &[(3, "tre"), (1, "en"), (5, "TO"), (4, "fire")],
            &mut made,
        );
        assert_eq!(new, b"[tre,en,TO,fire]");
        assert_eq!(made, [5, 4], "only the new keys are made");
        assert_eq!(
            at.iter().map(|a| (a.offset, a.len)).collect::<Vec<_>>(),
            [(1, 3), (5, 2), (8, 2), (11, 4)]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bytes_that_do_not_match_their_check_are_made_again() {
        let dir = std::env::temp_dir().join(format!("planspor-items-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp folder");
        let mut made = Vec::new();
        let (_, at) = write(None, &[(1, "en"), (2, "to")], &mut made);
        // The file was changed behind the manifest's back; so was its length.
        let last = kept(&dir, b"[EN,to", at);
        made.clear();
        let (new, _) = write(Some(&last), &[(1, "en"), (2, "to")], &mut made);
        assert_eq!(new, b"[en,to]");
        assert_eq!(
            made,
            [1],
            "the changed item is made; the intact one is copied"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
