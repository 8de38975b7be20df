// Scalar math in WGSL with float32 accuracy that does not depend on the GPU: WGSL leaves the precision
// of exp/log/tanh/pow implementation defined (and pow undefined for a negative base), and may assume
// NaN never occurs, so NaN and infinity are tested on the bits and the functions below are built from
// +, *, / and exact scalings only.

/** WGSL source of the math helpers (`m_exp`, `m_log`, `m_erf`, ..., `f2i`, `isnan_f`, ...). */
export const WGSL_MATH = /* wgsl */ `
// Runtime (not const) so that building NaN / infinity is not a shader-creation error.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f() -> f32 { return bitcast<f32>(INF_BITS); }
fn isnan_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isinf_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// x != 0 as JavaScript sees it (NaN counts as true, -0 as false).
fn nz_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }

// JavaScript's ToInt32 (what storing into an Int32Array does): NaN and +-Infinity become 0, large values wrap.
fn f2i(x: f32) -> i32 {
  let b = bitcast<u32>(x) & 0x7fffffffu;
  if (b >= 0x7f800000u) { return 0; }
  if (b < 0x4f000000u) { return i32(x); } // |x| < 2^31
  let m = x - 4294967296.0 * floor(x / 4294967296.0); // exact: x is a multiple of 256 here
  return bitcast<i32>(u32(m));
}

fn fmax_p(a: f32, b: f32) -> f32 {
  if (isnan_f(a) || isnan_f(b)) { return nan_f(); }
  return select(b, a, a > b);
}
fn fmin_p(a: f32, b: f32) -> f32 {
  if (isnan_f(a) || isnan_f(b)) { return nan_f(); }
  return select(b, a, a < b);
}

fn m_exp(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  if (x > 88.72284) { return inf_f(); }
  if (x < -104.0) { return 0.0; }
  let k = round(x * 1.4426950408889634);
  // ln 2 split so that k * LN2_HI is exact (Cody-Waite).
  let r = (x - k * 0.693145751953125) - k * 1.428606765330187e-6;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664
    + r * (0.008333333333333333 + r * (0.001388888888888889 + r * 0.0001984126984126984))))));
  let ki = i32(k);
  let h = ki / 2;
  return ldexp(ldexp(p, h), ki - h);
}

fn m_expm1(x: f32) -> f32 {
  if (abs(x) < 0.34657359) {
    return x * (1.0 + x * (0.5 + x * (0.16666666666666666 + x * (0.041666666666666664 + x * (0.008333333333333333
      + x * (0.001388888888888889 + x * (0.0001984126984126984 + x * 2.48015873015873e-5)))))));
  }
  return m_exp(x) - 1.0;
}

// 2 atanh(s) = log((1 + s) / (1 - s)) for |s| <= 0.25.
fn log_series(s: f32) -> f32 {
  let z = s * s;
  return 2.0 * s * (1.0 + z * (0.3333333333333333 + z * (0.2 + z * (0.14285714285714285 + z * (0.1111111111111111
    + z * (0.09090909090909091 + z * 0.07692307692307693))))));
}

fn m_log(x: f32) -> f32 {
  if (isnan_f(x) || x < 0.0) { return nan_f(); }
  if (x == 0.0) { return -inf_f(); }
  if (isinf_f(x)) { return x; }
  var m = x;
  var e = 0;
  if (x < 1.17549435e-38) { m = x * 16777216.0; e = -24; } // subnormal: scale up first
  let fr = frexp(m);
  var f = fr.fract;
  e = e + fr.exp;
  if (f < 0.70710678) { f = f * 2.0; e = e - 1; }
  let ef = f32(e);
  return ef * 0.693145751953125 + (ef * 1.428606765330187e-6 + log_series((f - 1.0) / (f + 1.0)));
}

fn m_log1p(x: f32) -> f32 {
  if (abs(x) < 0.4) { return log_series(x / (2.0 + x)); }
  return m_log(1.0 + x);
}

fn m_tanh(x: f32) -> f32 {
  let e = m_expm1(-2.0 * abs(x));
  let t = -e / (e + 2.0);
  return select(t, -t, x < 0.0);
}

fn m_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + m_exp(-x)); }
  let e = m_exp(x);
  return e / (1.0 + e);
}

fn m_sinh(x: f32) -> f32 {
  let a = abs(x);
  var r: f32;
  if (a < 1.0) {
    let h = m_expm1(a);
    r = 0.5 * (h + h / (h + 1.0));
  } else {
    let e = m_exp(a - 0.6931471805599453);
    r = e - 0.25 / e;
  }
  return select(r, -r, x < 0.0);
}

fn m_cosh(x: f32) -> f32 {
  let e = m_exp(abs(x) - 0.6931471805599453);
  return e + 0.25 / e;
}

// sin / cos on [-pi/4, pi/4] after reducing by multiples of pi/2 with a three-part pi/2 (Cody-Waite),
// accurate to a few ulp for |x| up to about 1e5 (beyond, the reduction loses digits).
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-0.16666666666666666 + z * (0.008333333333333333 + z * (-1.984126984126984e-4 + z * 2.7557319223985893e-6)));
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 + z * (-0.5 + z * (0.041666666666666664 + z * (-0.001388888888888889 + z * (2.48015873015873e-5 + z * -2.755731922398589e-7))));
}
struct Reduced { r: f32, q: i32 }
fn reduce_half_pi(x: f32) -> Reduced {
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703e-4) - k * 7.549789954891882e-8;
  return Reduced(r, i32(k) & 3);
}
fn m_sin(x: f32) -> f32 {
  if (isnan_f(x) || isinf_f(x)) { return nan_f(); }
  let t = reduce_half_pi(x);
  switch (t.q) {
    case 0: { return sin_poly(t.r); }
    case 1: { return cos_poly(t.r); }
    case 2: { return -sin_poly(t.r); }
    default: { return -cos_poly(t.r); }
  }
}
fn m_cos(x: f32) -> f32 {
  if (isnan_f(x) || isinf_f(x)) { return nan_f(); }
  let t = reduce_half_pi(x);
  switch (t.q) {
    case 0: { return cos_poly(t.r); }
    case 1: { return -sin_poly(t.r); }
    case 2: { return -cos_poly(t.r); }
    default: { return sin_poly(t.r); }
  }
}
fn m_tan(x: f32) -> f32 {
  if (isnan_f(x) || isinf_f(x)) { return nan_f(); }
  let t = reduce_half_pi(x);
  let s = sin_poly(t.r);
  let c = cos_poly(t.r);
  return select(s / c, -c / s, (t.q & 1) == 1);
}
// atan on |x| <= 1: reduced to |t| <= tan(pi/8) around pi/4, then its odd series (11 terms).
fn atan_unit(x: f32) -> f32 {
  var base = 0.0;
  var t = x;
  if (x > 0.41421356) { base = 0.7853981633974483; t = (x - 1.0) / (x + 1.0); }
  let z = t * t;
  let p = 1.0 + z * (-0.3333333333333333 + z * (0.2 + z * (-0.14285714285714285 + z * (0.1111111111111111 + z * (-0.09090909090909091
    + z * (0.07692307692307693 + z * (-0.06666666666666667 + z * (0.058823529411764705 + z * (-0.05263157894736842 + z * 0.047619047619047616)))))))));
  return base + t * p;
}
fn m_atan(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a <= 1.0) { r = atan_unit(a); } else { r = 1.5707963267948966 - atan_unit(1.0 / a); }
  return select(r, -r, x < 0.0);
}
fn m_atan2(y: f32, x: f32) -> f32 {
  if (isnan_f(x) || isnan_f(y)) { return nan_f(); }
  let ay = abs(y);
  let ax = abs(x);
  let xneg = (bitcast<u32>(x) & 0x80000000u) != 0u;
  var r: f32;
  if (ay == 0.0 && ax == 0.0) { r = 0.0; }
  else if (isinf_f(ay) && isinf_f(ax)) { r = 0.7853981633974483; }
  else if (ay <= ax) { r = atan_unit(ay / ax); }
  else { r = 1.5707963267948966 - atan_unit(ax / ay); }
  if (xneg) { r = 3.141592653589793 - r; }
  return select(r, -r, (bitcast<u32>(y) & 0x80000000u) != 0u);
}
fn m_asin(x: f32) -> f32 {
  if (!(abs(x) <= 1.0)) { return nan_f(); }
  return m_atan2(x, m_sqrt((1.0 - x) * (1.0 + x)));
}
fn m_acos(x: f32) -> f32 {
  if (!(abs(x) <= 1.0)) { return nan_f(); }
  return 2.0 * m_atan2(m_sqrt(1.0 - x), m_sqrt(1.0 + x));
}

fn m_sqrt(x: f32) -> f32 { return select(sqrt(x), nan_f(), x < 0.0 || isnan_f(x)); }
fn m_sign(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}

// W. J. Cody's rational approximations (as in the reference backend), evaluated in f32.
fn erfc_pos(y: f32) -> f32 {
  var r: f32;
  if (y <= 4.0) {
    var xn = 2.1531153547440383e-8 * y;
    var xd = y;
    xn = (xn + 0.5641884969886701) * y; xd = (xd + 15.744926110709835) * y;
    xn = (xn + 8.883149794388377) * y; xd = (xd + 117.6939508913125) * y;
    xn = (xn + 66.11919063714163) * y; xd = (xd + 537.1811018620099) * y;
    xn = (xn + 298.6351381974001) * y; xd = (xd + 1621.3895745666903) * y;
    xn = (xn + 881.952221241769) * y; xd = (xd + 3290.7992357334597) * y;
    xn = (xn + 1712.0476126340707) * y; xd = (xd + 4362.619090143247) * y;
    xn = (xn + 2051.0783778260716) * y; xd = (xd + 3439.3676741437216) * y;
    r = (xn + 1230.3393547979972) / (xd + 1230.3393548037495);
  } else {
    if (y >= 10.0) { return 0.0; }
    let z = 1.0 / (y * y);
    var xn = 0.016315387137302097 * z;
    var xd = z;
    xn = (xn + 0.30532663496123236) * z; xd = (xd + 2.568520192289822) * z;
    xn = (xn + 0.36034489994980445) * z; xd = (xd + 1.8729528499234604) * z;
    xn = (xn + 0.12578172611122926) * z; xd = (xd + 0.5279051029514284) * z;
    xn = (xn + 0.016083785148742275) * z; xd = (xd + 0.06051834131244132) * z;
    r = (z * (xn + 6.587491615298378e-4)) / (xd + 0.0023352049762686918);
    r = (0.5641895835477563 - r) / y;
  }
  let ysq = trunc(y * 16.0) / 16.0;
  let del = (y - ysq) * (y + ysq);
  return m_exp(-ysq * ysq) * m_exp(-del) * r;
}

fn m_erf(x: f32) -> f32 {
  let y = abs(x);
  if (y <= 0.46875) {
    let z = y * y;
    var xn = 0.18577770618460315 * z;
    var xd = z;
    xn = (xn + 3.1611237438705656) * z; xd = (xd + 23.601290952344122) * z;
    xn = (xn + 113.86415415105016) * z; xd = (xd + 244.02463793444417) * z;
    xn = (xn + 377.485237685302) * z; xd = (xd + 1282.6165260773723) * z;
    return (x * (xn + 3209.3775891384694)) / (xd + 2844.236833439171);
  }
  if (isnan_f(x)) { return x; }
  let r = (0.5 - erfc_pos(y)) + 0.5;
  return select(r, -r, x < 0.0);
}

// C99 pow: pow(1, y) = pow(x, 0) = 1; a negative base needs an integral exponent.
fn m_pow(x: f32, y: f32) -> f32 {
  if (x == 1.0 || y == 0.0) { return 1.0; }
  if (isnan_f(x) || isnan_f(y)) { return nan_f(); }
  let ax = abs(x);
  if (isinf_f(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, inf_f(), (ax > 1.0) == (y > 0.0));
  }
  let yint = floor(y) == y;
  if (x < 0.0 && !yint) { return nan_f(); }
  let odd = yint && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
  var r: f32;
  if (ax == 0.0) {
    r = select(inf_f(), 0.0, y > 0.0);
  } else if (isinf_f(ax)) {
    r = select(0.0, inf_f(), y > 0.0);
  } else if (yint && abs(y) <= 64.0) {
    // Small integral exponents by repeated squaring: exact for the squares and cubes people write.
    var n = u32(abs(y));
    var b = ax;
    r = 1.0;
    loop {
      if ((n & 1u) == 1u) { r = r * b; }
      n = n >> 1u;
      if (n == 0u) { break; }
      b = b * b;
    }
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = m_exp(y * m_log(ax));
  }
  return select(r, -r, x < 0.0 && odd);
}

// Python's remainder: the result takes the divisor's sign.
fn m_rem(x: f32, y: f32) -> f32 {
  if (y == 0.0 || isinf_f(x) || isnan_f(x) || isnan_f(y)) { return nan_f(); }
  if (isinf_f(y)) {
    if (x == 0.0 || (x < 0.0) == (y < 0.0)) { return x; }
    return y;
  }
  var r = x - y * trunc(x / y);
  if (abs(r) >= abs(y)) { r = r - y * trunc(r / y); }
  if (r != 0.0 && ((r < 0.0) != (y < 0.0))) { r = r + y; }
  return r;
}

fn i_rem(x: i32, y: i32) -> i32 {
  if (y == 0) { return 0; }
  let r = x % y;
  return select(r, r + y, r != 0 && ((r < 0) != (y < 0)));
}

fn i_div(x: i32, y: i32) -> i32 {
  if (y == 0) { return 0; }
  return x / y;
}

fn i_pow(x: i32, y: i32) -> i32 {
  if (y < 0) {
    if (x == 1) { return 1; }
    if (x == -1) { return select(1, -1, (y & 1) == 1); }
    return 0;
  }
  var n = u32(y);
  var b = x;
  var r = 1;
  loop {
    if (n == 0u) { break; }
    if ((n & 1u) == 1u) { r = r * b; }
    n = n >> 1u;
    b = b * b;
  }
  return r;
}
`;
