use super::*;
use crate::random::seeded;

fn vectors(p: usize, n: usize, seed: u64) -> Vec<i8> {
    let mut rng = seeded(seed);
    (0..p * n).map(|_| random::sign(&mut rng)).collect()
}

fn outer(p: usize, n: usize, seed: u64, scale: f64, repr: Representation) -> Weights {
    let bits = Arc::new(BitMatrix::from_positive(p, n, &vectors(p, n, seed)));
    Weights::outer(bits, false, scale, true, repr).unwrap()
}

#[test]
fn dense_and_factored_agree_everywhere() {
    let (n, p) = (37, 5);
    let f = outer(p, n, 1, 1.0 / n as f64, Representation::Factored);
    let d = outer(p, n, 1, 1.0 / n as f64, Representation::Dense);
    assert_eq!(f.storage(), Storage::Factored);
    assert_eq!(d.storage(), Storage::DenseI8);
    let state = vectors(1, n, 2);
    let (mut hf, mut hd) = (vec![0.0; n], vec![0.0; n]);
    f.fields(&state, &mut hf);
    d.fields(&state, &mut hd);
    assert_eq!(hf, hd);
    for (i, &h) in hd.iter().enumerate() {
        assert_eq!(f.field(&state, i), h);
        for j in 0..n {
            assert_eq!(f.get(i, j), d.get(i, j));
        }
        assert_eq!(f.get(i, i), 0.0);
    }
    assert_eq!(f.quadratic(&state), d.quadratic(&state));
    assert_eq!(f.to_dense().unwrap(), d);
}

#[test]
fn integer_type_grows_with_the_number_of_patterns() {
    let n = 8;
    let d = outer(200, n, 3, 1.0, Representation::Dense);
    assert_eq!(d.storage(), Storage::DenseI16);
    let f = outer(200, n, 3, 1.0, Representation::Factored);
    for i in 0..n {
        for j in 0..n {
            assert_eq!(d.get(i, j), f.get(i, j));
        }
    }
}

#[test]
fn trackers_follow_flips_exactly() {
    let (n, p) = (30, 4);
    for w in [
        outer(p, n, 5, 0.5, Representation::Factored),
        outer(p, n, 5, 0.5, Representation::Dense),
    ] {
        let mut s = vectors(1, n, 6);
        let mut t = w.tracker(&s);
        for i in [3, 7, 3, 29, 0] {
            let delta = -2 * i64::from(s[i]);
            s[i] = -s[i];
            w.track(&mut t, i, delta);
            for k in 0..n {
                let exact = match w.tracked(&t, &s, k) {
                    Field::Int(h) => w.scale() * h as f64,
                    Field::Float(h) => h,
                };
                assert_eq!(exact, w.field(&s, k));
            }
        }
    }
}

#[test]
fn matrices_are_validated() {
    assert!(Weights::from_matrix(2, vec![0.0, 1.0, 1.0]).is_err());
    let e = Weights::from_matrix(2, vec![0.0, f32::NAN, 1.0, 0.0]).unwrap_err();
    assert!(e.to_string().contains("row 0 column 1"), "{e}");
    assert!(Weights::from_matrix(0, vec![]).is_err());
    let w = Weights::from_matrix(2, vec![0.0, 1.0, 2.0, 0.0]).unwrap();
    assert!(!w.is_symmetric());
    assert_eq!(w.field(&[1, -1], 1), 2.0);
}

#[test]
fn dense_parts_round_trip_and_are_checked() {
    let (n, p) = (9, 4);
    for w in [
        outer(p, n, 7, 1.0 / n as f64, Representation::Dense),
        outer(200, 3, 7, 0.5, Representation::Dense),
        Weights::uniform(5, &mut seeded(2)).unwrap(),
    ] {
        let (m, scale) = w.dense_parts().unwrap();
        let back = Weights::from_dense_parts(w.n(), m, scale).unwrap();
        assert_eq!(back, w);
    }
    assert!(
        outer(p, n, 7, 1.0, Representation::Factored)
            .dense_parts()
            .is_none()
    );
    let e = Weights::from_dense_parts(2, DenseMatrix::I8(vec![0; 3]), 1.0).unwrap_err();
    assert_eq!(e.to_string(), "weight matrix has 3 values, expected 4");
    let nan = DenseMatrix::F32(vec![0.0, 0.0, f32::NAN, 0.0]);
    let e = Weights::from_dense_parts(2, nan, 1.0).unwrap_err();
    assert!(e.to_string().starts_with("weights, row 1 column 0"), "{e}");
    let e = Weights::from_dense_parts(1, DenseMatrix::I16(vec![0]), f64::INFINITY);
    assert!(e.unwrap_err().to_string().starts_with("weight scale"));
    for bad in [0.0, -0.04, -0.0] {
        let e = Weights::from_dense_parts(1, DenseMatrix::I8(vec![0]), bad).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("weight scale = {bad} is invalid")),
            "{e}"
        );
    }
    assert!(Weights::from_dense_parts(0, DenseMatrix::I32(vec![]), 1.0).is_err());
    let asym = Weights::from_dense_parts(2, DenseMatrix::I32(vec![0, 1, 2, 0]), 1.0).unwrap();
    assert!(!asym.is_symmetric());
    assert_eq!(asym.get(1, 0), 2.0);
}

/// A loaded int8 matrix may hold −128, whose product with −1 overflows a byte.
#[test]
fn int8_matrices_with_the_smallest_value_give_exact_fields() {
    let n = 64;
    let mut m = vec![1i8; n * n];
    m[..n].fill(i8::MIN);
    let w = Weights::from_dense_parts(n, DenseMatrix::I8(m), 1.0).unwrap();
    let state = vec![-1i8; n];
    let mut h = vec![0.0; n];
    w.fields(&state, &mut h);
    assert_eq!(h[0], 8192.0);
    assert_eq!(w.field(&state, 0), 8192.0);
    assert!(h[1..].iter().all(|&h| h == -64.0));
    assert_eq!(w.quadratic(&state), -8192.0 + 63.0 * 64.0);
}

#[test]
fn random_connectivity() {
    let u = Weights::uniform(20, &mut seeded(1)).unwrap();
    assert!(!u.is_symmetric());
    assert!((0..20).all(|i| (0..20).all(|j| (0.0..1.0).contains(&u.get(i, j)))));
    let g = Weights::gaussian(50, 1.0, &mut seeded(1)).unwrap();
    assert!(g.is_symmetric());
    assert_eq!(g.get(3, 3), 0.0);
    let var: f64 = (0..50)
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .map(|(i, j)| g.get(i, j).powi(2))
        .sum::<f64>()
        / (50.0 * 49.0 / 2.0);
    assert!((var * 50.0 - 1.0).abs() < 0.15, "{var}");
    assert_eq!(u, Weights::uniform(20, &mut seeded(1)).unwrap());
}
