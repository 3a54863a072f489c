//! The credit report's two SVG charts and their geometry: the radar of the five dimension scores
//! (one axis each, clockwise from the top, 0 at the centre and 100 on the outer ring) and the
//! trend line of the monthly totals (oldest on the left, 0–100 from the bottom to the top). The
//! point computations are pure and tested; the components only draw them.

use std::f64::consts::PI;

use leptos::prelude::*;

/// Side of the radar's square drawing area, in SVG user units.
const RADAR_SIZE: f64 = 240.0;
/// Radius of the radar's outer ring (room is left for the axis labels).
const RADAR_RADIUS: f64 = 80.0;
/// The trend's drawing area and the margin inside it.
const TREND_WIDTH: f64 = 320.0;
const TREND_HEIGHT: f64 = 120.0;
const TREND_PAD: f64 = 12.0;

/// A point in SVG user units (y grows downwards).
pub type Point = (f64, f64);

/// The end of axis `index` of `axes` around `(cx, cy)` at `radius`: the first points up, the
/// others follow clockwise at equal angles.
pub fn axis_point(index: usize, axes: usize, cx: f64, cy: f64, radius: f64) -> Point {
    let angle = -PI / 2.0 + 2.0 * PI * index as f64 / axes.max(1) as f64;
    (cx + radius * angle.cos(), cy + radius * angle.sin())
}

/// The radar polygon of `scores` (0–100 each; out-of-range scores are held to the scale): each
/// score on its own axis, at its share of `radius` from the centre.
pub fn radar_points(scores: &[f64], cx: f64, cy: f64, radius: f64) -> Vec<Point> {
    scores
        .iter()
        .enumerate()
        .map(|(i, score)| {
            let share = if score.is_finite() { score.clamp(0.0, 100.0) / 100.0 } else { 0.0 };
            axis_point(i, scores.len(), cx, cy, radius * share)
        })
        .collect()
}

/// The trend line of `totals` (oldest first, 0–100) in a `width` × `height` area with `pad`
/// kept free on every side: equal steps from left to right (a single value in the middle), 100
/// at the top and 0 at the bottom.
pub fn trend_points(totals: &[f64], width: f64, height: f64, pad: f64) -> Vec<Point> {
    let inner_w = width - 2.0 * pad;
    let inner_h = height - 2.0 * pad;
    let step = if totals.len() > 1 { inner_w / (totals.len() - 1) as f64 } else { 0.0 };
    totals
        .iter()
        .enumerate()
        .map(|(i, total)| {
            let x = if totals.len() == 1 { width / 2.0 } else { pad + step * i as f64 };
            let share = if total.is_finite() { total.clamp(0.0, 100.0) / 100.0 } else { 0.0 };
            (x, pad + inner_h * (1.0 - share))
        })
        .collect()
}

/// Points as an SVG `points` attribute: `"x1,y1 x2,y2 …"` with one decimal.
pub fn points_attr(points: &[Point]) -> String {
    points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")
}

/// The radar chart: a grid of rings at 20-point steps, the axes with their labels, and the
/// scores' polygon.
#[component]
pub fn Radar(scores: Vec<f64>, labels: Vec<String>, label: String) -> impl IntoView {
    let (cx, cy) = (RADAR_SIZE / 2.0, RADAR_SIZE / 2.0);
    let axes = scores.len();
    let rings = (1..=5)
        .map(|step| {
            let ring = radar_points(&vec![f64::from(step) * 20.0; axes], cx, cy, RADAR_RADIUS);
            view! { <polygon class="radar-ring" points=points_attr(&ring)/> }
        })
        .collect_view();
    let spokes = (0..axes)
        .map(|i| {
            let (x, y) = axis_point(i, axes, cx, cy, RADAR_RADIUS);
            view! { <line class="radar-axis" x1=cx y1=cy x2=format!("{x:.1}") y2=format!("{y:.1}")/> }
        })
        .collect_view();
    let names = labels
        .iter()
        .zip(&scores)
        .enumerate()
        .map(|(i, (name, score))| {
            let (x, y) = axis_point(i, axes, cx, cy, RADAR_RADIUS + 22.0);
            view! {
                <text class="radar-label" x=format!("{x:.1}") y=format!("{y:.1}") text-anchor="middle" dominant-baseline="middle">
                    <tspan x=format!("{x:.1}") dy="-0.5em">{name.clone()}</tspan>
                    <tspan x=format!("{x:.1}") dy="1.2em">{format!("{score:.1}")}</tspan>
                </text>
            }
        })
        .collect_view();
    let shape = points_attr(&radar_points(&scores, cx, cy, RADAR_RADIUS));
    view! {
        <figure class="chart radar">
            <svg id="credit-radar" viewBox=format!("0 0 {RADAR_SIZE} {RADAR_SIZE}") role="img" aria-label=label.clone()>
                {rings}
                {spokes}
                <polygon class="radar-shape" id="credit-radar-shape" points=shape/>
                {names}
            </svg>
            <figcaption class="hint">{label}</figcaption>
        </figure>
    }
}

/// The trend chart of monthly totals (oldest first) with the first and last month under it.
#[component]
pub fn Trend(totals: Vec<f64>, months: Vec<String>, label: String) -> impl IntoView {
    let points = trend_points(&totals, TREND_WIDTH, TREND_HEIGHT, TREND_PAD);
    let grid = [60.0, 80.0]
        .map(|level| {
            let y = trend_points(&[level], TREND_WIDTH, TREND_HEIGHT, TREND_PAD)[0].1;
            view! { <line class="chart-axis" x1=TREND_PAD y1=format!("{y:.1}") x2=TREND_WIDTH - TREND_PAD y2=format!("{y:.1}")/> }
        })
        .into_iter()
        .collect_view();
    let dots = points
        .iter()
        .zip(totals.iter().zip(&months))
        .map(|((x, y), (total, month))| {
            view! {
                <circle class="trend-dot" cx=format!("{x:.1}") cy=format!("{y:.1}") r="3">
                    <title>{format!("{month}: {total:.2}")}</title>
                </circle>
            }
        })
        .collect_view();
    let range = match (months.first(), months.last()) {
        (Some(first), Some(last)) if first != last => format!("{first} – {last}"),
        (Some(only), _) => only.clone(),
        _ => String::new(),
    };
    view! {
        <figure class="chart trend">
            <svg id="credit-trend" viewBox=format!("0 0 {TREND_WIDTH} {TREND_HEIGHT}") role="img" aria-label=label.clone()>
                {grid}
                <polyline class="trend-line" id="credit-trend-line" points=points_attr(&points)/>
                {dots}
            </svg>
            <figcaption class="hint">{label}" · "{range}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn the_first_radar_axis_points_up_and_the_others_follow_clockwise() {
        assert!(close(axis_point(0, 4, 100.0, 100.0, 50.0), (100.0, 50.0)));
        assert!(close(axis_point(1, 4, 100.0, 100.0, 50.0), (150.0, 100.0)), "right, since y grows down");
        assert!(close(axis_point(2, 4, 100.0, 100.0, 50.0), (100.0, 150.0)));
        assert!(close(axis_point(3, 4, 100.0, 100.0, 50.0), (50.0, 100.0)));
    }

    #[test]
    fn a_score_sits_at_its_share_of_the_radius_on_its_axis() {
        let points = radar_points(&[100.0, 50.0, 0.0, 100.0, 25.0], 0.0, 0.0, 80.0);
        assert_eq!(points.len(), 5);
        assert!(close(points[0], (0.0, -80.0)), "100 on the outer ring, straight up");
        let half = points[1];
        assert!(((half.0.powi(2) + half.1.powi(2)).sqrt() - 40.0).abs() < 1e-9);
        assert!(half.0 > 0.0 && half.1 < 0.0, "the second axis is up and to the right");
        assert!(close(points[2], (0.0, 0.0)), "0 at the centre");
        let quarter = points[4];
        assert!(((quarter.0.powi(2) + quarter.1.powi(2)).sqrt() - 20.0).abs() < 1e-9);
        assert!(quarter.0 < 0.0, "the last axis is on the left");
    }

    #[test]
    fn radar_scores_off_the_scale_are_held_to_it() {
        let points = radar_points(&[130.0, -5.0, f64::NAN], 10.0, 10.0, 10.0);
        assert!(close(points[0], (10.0, 0.0)));
        assert!(close(points[1], (10.0, 10.0)));
        assert!(close(points[2], (10.0, 10.0)));
    }

    #[test]
    fn the_trend_spreads_months_evenly_with_100_at_the_top_and_0_at_the_bottom() {
        let points = trend_points(&[0.0, 50.0, 100.0], 120.0, 60.0, 10.0);
        assert_eq!(points, vec![(10.0, 50.0), (60.0, 30.0), (110.0, 10.0)]);
    }

    #[test]
    fn a_single_month_sits_in_the_middle_and_no_months_draw_nothing() {
        assert_eq!(trend_points(&[75.0], 120.0, 60.0, 10.0), vec![(60.0, 20.0)]);
        assert!(trend_points(&[], 120.0, 60.0, 10.0).is_empty());
    }

    #[test]
    fn points_are_written_with_one_decimal() {
        assert_eq!(points_attr(&[(1.0, 2.26), (3.333, 4.0)]), "1.0,2.3 3.3,4.0");
        assert_eq!(points_attr(&[]), "");
    }
}
