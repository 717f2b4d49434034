//! Small statistics from plans (e.g. konfliktråd held per year) as a bar chart: SVG
//! made on the server, so it needs no script, prints, and scales with the page. The
//! chart is an image of the table beside it, which stays the accessible source: the
//! SVG carries a title and a one-line description for screen readers.

use std::fmt::Write;

use super::markdown::escape;
use crate::load::frontmatter::Statistic;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 32.0;
const LEFT: f64 = 8.0;

/// The chart of one statistic, or `None` when there is nothing to draw (no rows, or a
/// negative or non-finite value, which a bar cannot show honestly). `scale`: the value
/// the full height stands for, shared by the charts of a plan in the same unit (see
/// [`shared_scales`]), so that bars read alike across them; at least the chart's own
/// largest value.
pub fn bar_chart(stat: &Statistic, id: &str, scale: f64) -> Option<String> {
    let own = stat.rows.iter().map(|r| r.value).fold(0.0_f64, f64::max);
    let max = if scale.is_finite() {
        own.max(scale)
    } else {
        own
    };
    let drawable = stat
        .rows
        .iter()
        .all(|r| r.value.is_finite() && r.value >= 0.0);
    if stat.rows.is_empty() || !drawable || max <= 0.0 {
        return None;
    }
    let n = stat.rows.len() as f64;
    let slot = (WIDTH - 2.0 * LEFT) / n;
    let bar = slot * 0.6;
    let plot = HEIGHT - TOP - BOTTOM;
    let desc = stat
        .rows
        .iter()
        .map(|r| format!("{}: {}", r.label, number(r.value)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(&stat.title),
        escape(&desc)
    );
    for (i, r) in stat.rows.iter().enumerate() {
        let h = plot * r.value / max;
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let y = TOP + plot - h;
        let cx = x + bar / 2.0;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}"/><text x="{cx:.1}" y="{:.1}" class="chart-value">{}</text><text x="{cx:.1}" y="{:.1}" class="chart-label">{}</text>"#,
            y - 6.0,
            number(r.value),
            HEIGHT - BOTTOM + 20.0,
            escape(&r.label)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// `51` rather than `51.0`; decimals with a Danish comma.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}").replace('.', ",")
    }
}

/// The scale of each of a plan's charts: for shares (a unit in per cent), the largest
/// value of all its statistics in that unit; for counts, their own. Nordjylland 2022 puts
/// its own 42 % beside the country's 19 % in two charts; each scaled to its own largest
/// value, both bars were drawn equally tall. Counts of different things ("Antal indbrud",
/// "Antal konfliktråd") are not comparable, and one scale would flatten the smaller.
pub fn shared_scales(stats: &[Statistic]) -> Vec<f64> {
    let unit = |s: &Statistic| s.unit.as_deref().unwrap_or("").to_lowercase();
    let share = |s: &Statistic| {
        let u = unit(s);
        u.contains('%') || u.contains("procent")
    };
    let largest = |s: &Statistic| {
        (s.rows.iter())
            .map(|r| r.value)
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max)
    };
    stats
        .iter()
        .map(|s| {
            (stats.iter())
                .filter(|o| std::ptr::eq(*o, s) || share(s) && unit(o) == unit(s))
                .map(largest)
                .fold(0.0_f64, f64::max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::StatRow;

    fn stat(values: &[f64]) -> Statistic {
        Statistic {
            title: "Gennemførte <konfliktråd>".into(),
            label: None,
            unit: None,
            rows: values
                .iter()
                .enumerate()
                .map(|(i, &value)| StatRow {
                    label: format!("{}", 2017 + i),
                    value,
                })
                .collect(),
        }
    }

    #[test]
    fn one_bar_per_row_scaled_to_the_largest() {
        let svg = bar_chart(&stat(&[51.0, 49.0, 25.5]), "s1", 0.0).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3);
        // The largest bar fills the plot height.
        assert!(svg.contains(&format!("height=\"{:.1}\"", HEIGHT - TOP - BOTTOM)));
        assert!(svg.contains("2017: 51, 2018: 49, 2019: 25,5"));
        assert!(svg.contains("&lt;konfliktråd&gt;"), "titles are escaped");
        assert!(svg.contains(r#"role="img" aria-labelledby="s1-t s1-d""#));
    }

    #[test]
    fn nothing_to_draw_gives_no_chart() {
        assert!(bar_chart(&stat(&[]), "x", 0.0).is_none());
        assert!(bar_chart(&stat(&[0.0, 0.0]), "x", 0.0).is_none());
        assert!(bar_chart(&stat(&[3.0, -1.0]), "x", 0.0).is_none());
        assert!(bar_chart(&stat(&[f64::NAN]), "x", 0.0).is_none());
    }

    /// Two charts in the same unit share a scale: 19 beside 42 is drawn less than half
    /// as tall, not as tall.
    #[test]
    fn charts_in_one_unit_share_a_scale() {
        let percent = |v: &[f64]| Statistic {
            unit: Some("Fald i procent".into()),
            ..stat(v)
        };
        let (a, b) = (percent(&[42.0, 17.0]), percent(&[19.0, 8.0]));
        let scales = shared_scales(&[a.clone(), b.clone()]);
        assert_eq!(scales, [42.0, 42.0]);
        let full = format!("height=\"{:.1}\"", HEIGHT - TOP - BOTTOM);
        assert!(bar_chart(&a, "a", scales[0]).unwrap().contains(&full));
        let svg = bar_chart(&b, "b", scales[1]).unwrap();
        assert!(!svg.contains(&full), "{svg}");
        let h = (HEIGHT - TOP - BOTTOM) * 19.0 / 42.0;
        assert!(svg.contains(&format!("height=\"{h:.1}\"")), "{svg}");
        // Another unit keeps its own scale, and so do counts in one unit.
        let mut c = stat(&[3.0]);
        c.unit = Some("Antal".into());
        assert_eq!(shared_scales(&[a, c.clone()])[1], 3.0);
        let mut d = stat(&[300.0]);
        d.unit = Some("Antal".into());
        assert_eq!(shared_scales(&[d, c]), [300.0, 3.0]);
    }
}
