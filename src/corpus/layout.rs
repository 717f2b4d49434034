//! Districts and kommuner: the national table in `data/kredse.toml`, scaled.

use super::data::KREDSE;
use crate::slug::slugify;

/// "Københavns Kommune", "Bornholms Regionskommune", "Hjørring Kommune".
pub(super) fn kommune_full_name(name: &str) -> String {
    // One table of official names, shared with `planspor init`.
    crate::init::national::official_name(name)
}

/// II, III, IV… for the copies of the table at scales above 1.
pub(super) fn roman(mut n: usize) -> String {
    const R: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[derive(Debug, Clone)]
pub(super) struct Kreds {
    pub(super) name: String,
    pub(super) short: String,
    pub(super) council: String,
    pub(super) slug: String,
    pub(super) seat: String,
    pub(super) website: Option<String>,
    /// Indices into `Layout::kommuner`.
    pub(super) kommuner: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Kommune {
    pub(super) name: String,
    pub(super) full: String,
    pub(super) slug: String,
    pub(super) kreds: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) kredse: Vec<Kreds>,
    pub(super) kommuner: Vec<Kommune>,
}

/// The districts and kommuner at `scale`: `round(12·scale)` districts (the table in
/// order, repeated with suffixed names above 1.0) sharing `round(98·scale)` kommuner in
/// proportion to their real sizes. Depends on the scale only, not on the seed.
pub(super) fn layout(scale: f64) -> Layout {
    let n_kredse = ((12.0 * scale).round() as usize).max(1);
    let chosen: Vec<(usize, usize)> = (0..n_kredse).map(|i| (i % 12, i / 12)).collect();
    let sizes: Vec<usize> = chosen
        .iter()
        .map(|&(b, _)| KREDSE[b].kommuner.len())
        .collect();
    let target = ((98.0 * scale).round() as usize).max(n_kredse);
    let counts = apportion(target, &sizes);

    let mut out = Layout {
        kredse: Vec::new(),
        kommuner: Vec::new(),
    };
    for (ki, (&(base, copy), &count)) in chosen.iter().zip(&counts).enumerate() {
        let row = &KREDSE[base];
        let (suffix, slug_suffix) = if copy == 0 {
            (String::new(), String::new())
        } else {
            (format!(" {}", roman(copy + 1)), format!("-{}", copy + 1))
        };
        let genitive = row.name.trim_end_matches(" Politi");
        let mut kreds = Kreds {
            name: format!("{}{suffix}", row.name),
            short: format!("{}{suffix}", row.short),
            council: format!("Kredsrådet i {genitive} Politikreds{suffix}"),
            slug: format!("{}{slug_suffix}", slugify(&row.short)),
            seat: row.seat.to_string(),
            website: (copy == 0).then(|| format!("https://politi.dk/{}", slugify(&row.name))),
            kommuner: Vec::new(),
        };
        // Spread the chosen kommuner over the district's list.
        let n = row.kommuner.len();
        for j in 0..count {
            let name = row.kommuner[j * n / count].as_str();
            kreds.kommuner.push(out.kommuner.len());
            out.kommuner.push(Kommune {
                name: format!("{name}{suffix}"),
                full: format!("{}{suffix}", kommune_full_name(name)),
                slug: format!("{}{slug_suffix}", slugify(name)),
                kreds: ki,
            });
        }
        out.kredse.push(kreds);
    }
    out
}

/// Splits `target` over groups of `sizes` in proportion (largest remainder), at least
/// one and at most its size each.
pub(super) fn apportion(target: usize, sizes: &[usize]) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if target >= total {
        return sizes.to_vec();
    }
    let mut counts: Vec<usize> = sizes
        .iter()
        .map(|&s| (target * s / total).clamp(1, s))
        .collect();
    loop {
        let sum: usize = counts.iter().sum();
        if sum == target {
            break;
        }
        if sum < target {
            let i = (0..sizes.len())
                .filter(|&i| counts[i] < sizes[i])
                .max_by_key(|&i| ((target * sizes[i]) % total, usize::MAX - i));
            match i {
                Some(i) => counts[i] += 1,
                None => break,
            }
        } else {
            let i = (0..sizes.len())
                .filter(|&i| counts[i] > 1)
                .max_by_key(|&i| (counts[i], usize::MAX - i));
            match i {
                Some(i) => counts[i] -= 1,
                None => break,
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slug::is_slug;
    use std::collections::HashSet;

    #[test]
    fn the_national_table() {
        assert_eq!(KREDSE.len(), 12);
        let names: Vec<&str> = KREDSE
            .iter()
            .flat_map(|k| k.kommuner.iter().map(String::as_str))
            .collect();
        assert_eq!(names.len(), 98);
        let unique: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), 98, "a kommune in two districts");
        assert!(!unique.contains("Christiansø"));
        let slugs: HashSet<String> = names.iter().map(|n| slugify(n)).collect();
        assert_eq!(slugs.len(), 98);
        assert!(slugs.iter().all(|s| is_slug(s)), "{slugs:?}");
        assert!(slugs.contains("hjoerring") && slugs.contains("ringkoebing-skjern"));
        let kslugs: HashSet<String> = KREDSE.iter().map(|k| slugify(&k.short)).collect();
        assert_eq!(kslugs.len(), 12);
        for s in ["nordjylland", "oestjylland", "midt-og-vestjylland"] {
            assert!(kslugs.contains(s), "{s}");
        }
    }

    #[test]
    fn layout_scales() {
        let full = layout(1.0);
        assert_eq!((full.kredse.len(), full.kommuner.len()), (12, 98));
        let half = layout(0.5);
        assert_eq!((half.kredse.len(), half.kommuner.len()), (6, 49));
        let double = layout(2.0);
        assert_eq!((double.kredse.len(), double.kommuner.len()), (24, 196));
        let slugs: HashSet<&str> = double.kommuner.iter().map(|k| k.slug.as_str()).collect();
        assert_eq!(slugs.len(), 196);
        assert!(slugs.contains("aalborg-2"));
        assert!(double.kommuner.iter().any(|k| k.name == "Aalborg II"));
        let kslugs: HashSet<&str> = double.kredse.iter().map(|k| k.slug.as_str()).collect();
        assert_eq!(kslugs.len(), 24);
        let tiny = layout(0.01);
        assert_eq!((tiny.kredse.len(), tiny.kommuner.len()), (1, 1));
        for l in [&full, &half, &double, &tiny] {
            for (ki, k) in l.kredse.iter().enumerate() {
                assert!(!k.kommuner.is_empty());
                assert!(k.kommuner.iter().all(|&m| l.kommuner[m].kreds == ki));
            }
        }
    }
}
