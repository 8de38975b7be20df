// Scalar math helpers used by the CPU kernels: erf (W. J. Cody), stable sigmoid, round-half-even, Python remainder.

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
// coefficients as in netlib specfun CALERF. Relative error ~1e-16 over the whole range.
const A0 = 3.1611237438705656, A1 = 113.86415415105016, A2 = 377.485237685302, A3 = 3209.3775891384694,
  A4 = 0.18577770618460315;
const B0 = 23.601290952344122, B1 = 244.02463793444417, B2 = 1282.6165260773723, B3 = 2844.236833439171;
const C0 = 0.5641884969886701, C1 = 8.883149794388377, C2 = 66.11919063714163, C3 = 298.6351381974001,
  C4 = 881.952221241769, C5 = 1712.0476126340707, C6 = 2051.0783778260716, C7 = 1230.3393547979972,
  C8 = 2.1531153547440383e-8;
const D0 = 15.744926110709835, D1 = 117.6939508913125, D2 = 537.1811018620099, D3 = 1621.3895745666903,
  D4 = 3290.7992357334597, D5 = 4362.619090143247, D6 = 3439.3676741437216, D7 = 1230.3393548037495;
const P0 = 0.30532663496123236, P1 = 0.36034489994980445, P2 = 0.12578172611122926, P3 = 0.016083785148742275,
  P4 = 6.587491615298378e-4, P5 = 0.016315387137302097;
const Q0 = 2.568520192289822, Q1 = 1.8729528499234604, Q2 = 0.5279051029514284, Q3 = 0.06051834131244132,
  Q4 = 0.0023352049762686918;
const SQRPI = 0.5641895835477563; // 1/sqrt(pi)

/** erfc(y) for y > 0.46875 (scaled pieces of CALERF). */
function erfcPos(y: number): number {
  let r: number;
  if (y <= 4) {
    let xnum = C8 * y;
    let xden = y;
    xnum = (xnum + C0) * y; xden = (xden + D0) * y;
    xnum = (xnum + C1) * y; xden = (xden + D1) * y;
    xnum = (xnum + C2) * y; xden = (xden + D2) * y;
    xnum = (xnum + C3) * y; xden = (xden + D3) * y;
    xnum = (xnum + C4) * y; xden = (xden + D4) * y;
    xnum = (xnum + C5) * y; xden = (xden + D5) * y;
    xnum = (xnum + C6) * y; xden = (xden + D6) * y;
    r = (xnum + C7) / (xden + D7);
  } else {
    if (y >= 26.543) return 0;
    const z = 1 / (y * y);
    let xnum = P5 * z;
    let xden = z;
    xnum = (xnum + P0) * z; xden = (xden + Q0) * z;
    xnum = (xnum + P1) * z; xden = (xden + Q1) * z;
    xnum = (xnum + P2) * z; xden = (xden + Q2) * z;
    xnum = (xnum + P3) * z; xden = (xden + Q3) * z;
    r = (z * (xnum + P4)) / (xden + Q4);
    r = (SQRPI - r) / y;
  }
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del) * r;
}

export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y > 1.11e-16 ? y * y : 0;
    let xnum = A4 * z;
    let xden = z;
    xnum = (xnum + A0) * z; xden = (xden + B0) * z;
    xnum = (xnum + A1) * z; xden = (xden + B1) * z;
    xnum = (xnum + A2) * z; xden = (xden + B2) * z;
    return (x * (xnum + A3)) / (xden + B3);
  }
  if (y !== y) return x;
  const r = 0.5 - erfcPos(y) + 0.5;
  return x < 0 ? -r : r;
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Round half to even (banker's rounding), like torch.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python-style remainder: the result has the sign of the divisor. */
export function pyRemainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** C99's (and PyTorch's) pow: 1 for pow(1, y) and pow(-1, ±inf), where JavaScript's Math.pow gives NaN. */
export function powC99(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

export const mathHelpers = { erf, sigmoid, roundHalfEven, pyRemainder, powC99 };
