//! A small SVG bar chart (one bar a day) and its scaling: the tallest value fills the height,
//! zero draws no bar, every bar gets the same slot with a gap.

use leptos::prelude::*;

/// Drawing area of a chart, in SVG user units.
const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 80.0;

/// One bar's rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge (SVG's y grows downwards).
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// The bars for `values` in a `width` × `height` area: equal slots, 20 % of each a gap, heights
/// in proportion to the largest value (all zero: no height at all).
pub fn bars(values: &[i64], width: f64, height: f64) -> Vec<Bar> {
    let max = values.iter().copied().max().unwrap_or(0).max(0);
    let slot = if values.is_empty() { 0.0 } else { width / values.len() as f64 };
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let h = if max == 0 { 0.0 } else { v.max(0) as f64 / max as f64 * height };
            Bar { x: i as f64 * slot + slot * 0.1, y: height - h, width: slot * 0.8, height: h }
        })
        .collect()
}

/// A bar chart of `values` (labelled by `labels` in each bar's tooltip), with its largest value.
#[component]
pub fn BarChart(
    #[prop(into)] id: String,
    values: Vec<i64>,
    labels: Vec<String>,
    label: String,
) -> impl IntoView {
    let max = values.iter().copied().max().unwrap_or(0);
    let rects = bars(&values, WIDTH, HEIGHT)
        .into_iter()
        .zip(values)
        .zip(labels)
        .map(|((b, v), day)| {
            view! {
                <rect class="chart-bar" x=format!("{:.1}", b.x) y=format!("{:.1}", b.y) width=format!("{:.1}", b.width)
                    height=format!("{:.1}", b.height) data-value=v><title>{format!("{day}: {v}")}</title></rect>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg id=id viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label.clone() preserveAspectRatio="none">
                <line x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT class="chart-axis"/>
                {rects}
            </svg>
            <figcaption class="hint">{label}" · max "{max}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_bar_fills_the_height_and_the_others_scale_in_proportion() {
        let b = bars(&[0, 5, 10], 300.0, 80.0);
        assert_eq!(b.len(), 3);
        assert_eq!(b[2].height, 80.0);
        assert_eq!(b[2].y, 0.0);
        assert_eq!(b[1].height, 40.0);
        assert_eq!(b[0].height, 0.0);
        assert_eq!(b[0].y, 80.0);
    }

    #[test]
    fn bars_share_the_width_equally_with_a_gap() {
        let b = bars(&[1, 1, 1, 1], 100.0, 10.0);
        assert_eq!(b[0].x, 2.5);
        assert_eq!(b[0].width, 20.0);
        assert_eq!(b[3].x, 77.5);
    }

    #[test]
    fn all_zero_or_no_values_draw_nothing_tall() {
        assert!(bars(&[0, 0], 100.0, 10.0).iter().all(|b| b.height == 0.0));
        assert!(bars(&[], 100.0, 10.0).is_empty());
    }
}
