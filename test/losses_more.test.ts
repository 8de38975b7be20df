// The losses added for PyTorch's breadth, against their documented formulas computed in plain
// JavaScript (float64), their gradients against finite differences, and vmap against a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

const f64 = (x: number[], shape?: number[]) => torch.tensor(Float64Array.from(x), { dtype: 'float64', shape });
const near = (a: number, b: number, what: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const x1 = [0.3, -1.2, 2.0, 0.5], x2 = [0.1, 0.4, -0.7, 0.5], y = [1, -1, 1, -1];

test('margin ranking, hinge embedding and soft margin losses', () => {
  near(torch.marginRankingLoss(f64(x1), f64(x2), f64(y), { margin: 0.2 }).item(), meanOf(x1.map((a, i) => Math.max(0, -y[i]! * (a - x2[i]!) + 0.2))), 'marginRanking');
  near(torch.hingeEmbeddingLoss(f64(x1), f64(y), { reduction: 'sum' }).item(), x1.reduce((s, a, i) => s + (y[i] === 1 ? a : Math.max(0, 1 - a)), 0), 'hingeEmbedding');
  near(torch.softMarginLoss(f64(x1), f64(y)).item(), meanOf(x1.map((a, i) => Math.log1p(Math.exp(-y[i]! * a)))), 'softMargin');
  assert.deepEqual(torch.marginRankingLoss(f64(x1), f64(x2), f64(y), { reduction: 'none' }).shape, [4]);
  assert.throws(() => torch.softMarginLoss(f64(x1), f64(x1), { reduction: 'avg' as never }), /'avg' is not a valid value for reduction|avg is not a valid value/);
});

test('triplet margin and cosine embedding losses', () => {
  const a = [[1, 2], [0.5, -1]], p = [[1.5, 1], [0, 0]], n = [[0, 2], [3, 1]];
  const dist = (u: number[], v: number[]) => Math.sqrt(u.reduce((s, x, k) => s + (x - v[k]! + 1e-6) ** 2, 0));
  const want = meanOf(a.map((u, i) => Math.max(dist(u, p[i]!) - dist(u, n[i]!) + 1, 0)));
  near(torch.tripletMarginLoss(f64(a.flat(), [2, 2]), f64(p.flat(), [2, 2]), f64(n.flat(), [2, 2])).item(), want, 'triplet');
  const swapped = meanOf(a.map((u, i) => Math.max(dist(u, p[i]!) - Math.min(dist(u, n[i]!), dist(p[i]!, n[i]!)) + 1, 0)));
  near(torch.tripletMarginLoss(f64(a.flat(), [2, 2]), f64(p.flat(), [2, 2]), f64(n.flat(), [2, 2]), { swap: true }).item(), swapped, 'triplet swap');
  const cos = (u: number[], v: number[]) => {
    const dot = u.reduce((s, x, k) => s + x * v[k]!, 0);
    return dot / Math.sqrt((u.reduce((s, x) => s + x * x, 0) + 1e-12) * (v.reduce((s, x) => s + x * x, 0) + 1e-12));
  };
  const t = [1, -1];
  const ce = a.map((u, i) => (t[i] === 1 ? 1 - cos(u, n[i]!) : Math.max(0, cos(u, n[i]!) - 0.1)));
  near(torch.cosineEmbeddingLoss(f64(a.flat(), [2, 2]), f64(n.flat(), [2, 2]), f64(t), { margin: 0.1 }).item(), meanOf(ce), 'cosineEmbedding');
});

test('Poisson and Gaussian negative log-likelihoods, multilabel soft margin', () => {
  const lam = [0.5, 1.2, 3.0], k = [0, 2, 5];
  near(torch.poissonNllLoss(f64(lam.map(Math.log)), f64(k)).item(), meanOf(lam.map((l, i) => l - k[i]! * Math.log(l))), 'poisson logInput');
  near(torch.poissonNllLoss(f64(lam), f64(k), { logInput: false }).item(), meanOf(lam.map((l, i) => l - k[i]! * Math.log(l + 1e-8))), 'poisson');
  const stirling = (v: number) => (v > 1 ? v * Math.log(v) - v + 0.5 * Math.log(2 * Math.PI * v) : 0);
  near(torch.poissonNllLoss(f64(lam.map(Math.log)), f64(k), { full: true }).item(), meanOf(lam.map((l, i) => l - k[i]! * Math.log(l) + stirling(k[i]!))), 'poisson full');
  const mu = [0.2, -1, 3], obs = [0, -0.5, 2], v = [0.5, 1e-9, 2];
  const g = mu.map((m, i) => 0.5 * (Math.log(Math.max(v[i]!, 1e-6)) + (m - obs[i]!) ** 2 / Math.max(v[i]!, 1e-6)));
  near(torch.gaussianNllLoss(f64(mu), f64(obs), f64(v)).item(), meanOf(g), 'gaussian', 1e-10);
  near(torch.gaussianNllLoss(f64(mu), f64(obs), f64(v), { full: true, reduction: 'sum' }).item(), g.reduce((s, q) => s + q + 0.5 * Math.log(2 * Math.PI), 0), 'gaussian full', 1e-10);
  const logits = [[0.5, -1, 2], [1, 0, -3]], labels = [[1, 0, 1], [0, 1, 0]];
  const ls = (z: number) => -Math.log1p(Math.exp(-z));
  const per = logits.map((row, i) => -meanOf(row.map((z, j) => labels[i]![j]! * ls(z) + (1 - labels[i]![j]!) * ls(-z))));
  near(torch.multilabelSoftMarginLoss(f64(logits.flat(), [2, 3]), f64(labels.flat(), [2, 3])).item(), meanOf(per), 'multilabelSoftMargin');
});

test('gradients equal float64 finite differences, and vmap over a batch equals a loop', () => {
  const cases: [string, (t: torch.Tensor) => torch.Tensor][] = [
    ['marginRanking', (t) => torch.marginRankingLoss(t, f64(x2), f64(y), { margin: 0.2 })],
    ['softMargin', (t) => torch.softMarginLoss(t, f64(y))],
    ['triplet', (t) => torch.tripletMarginLoss(t.reshape(2, 2), f64([1.5, 1, 0, 0], [2, 2]), f64([0, 2, 3, 1], [2, 2]))],
    ['cosineEmbedding', (t) => torch.cosineEmbeddingLoss(t.reshape(2, 2), f64([0, 2, 3, 1], [2, 2]), f64([1, -1]))],
    ['poisson', (t) => torch.poissonNllLoss(t, f64([0, 2, 5, 1]))],
    ['gaussian', (t) => torch.gaussianNllLoss(t, f64([0, -0.5, 2, 1]), f64([0.5, 0.3, 2, 1]))],
  ];
  const at = [0.37, -1.2, 2.0, 0.45]; // away from every kink (marginRanking's is at x₁ = x₂ + 0.2·y)
  for (const [name, f] of cases) {
    const g = torch.func.grad(f)(f64(at)).tolist() as number[];
    at.forEach((_, i) => {
      const h = 1e-6;
      const fd = (f(f64(at.map((v, j) => (j === i ? v + h : v)))).item() - f(f64(at.map((v, j) => (j === i ? v - h : v)))).item()) / (2 * h);
      assert.ok(Math.abs(g[i]! - fd) < 1e-6, `${name}' [${i}]: ${g[i]} vs ${fd}`);
    });
    const batch = torch.randn([3, 4], { dtype: 'float64' });
    const viaVmap = torch.func.vmap(f)(batch);
    const loop = torch.stack([0, 1, 2].map((i) => f(batch.index(i))));
    assert.ok(viaVmap.sub(loop).abs().max().item() < 1e-12, `${name} vmap`);
  }
});

test('the loss modules equal the functional forms, print as PyTorch, and check their options', () => {
  const a = f64(x1), b = f64(x2), t = f64(y);
  assert.equal(new torch.nn.MarginRankingLoss({ margin: 0.2 }).call(a, b, t).item(), torch.marginRankingLoss(a, b, t, { margin: 0.2 }).item());
  assert.equal(new torch.nn.SoftMarginLoss().call(a, t).item(), torch.softMarginLoss(a, t).item());
  assert.equal(new torch.nn.GaussianNLLLoss({ full: true }).call(a, b, f64([1, 2, 3, 4])).item(), torch.gaussianNllLoss(a, b, f64([1, 2, 3, 4]), { full: true }).item());
  const w = f64([1, 2, 3, 4]);
  const ml = new torch.nn.MultiLabelSoftMarginLoss({ weight: w });
  assert.deepEqual(Object.keys(ml.stateDict()), ['weight']);
  assert.equal(ml.call(a.reshape(1, 4), f64([1, 0, 1, 0], [1, 4])).item(), torch.multilabelSoftMarginLoss(a.reshape(1, 4), f64([1, 0, 1, 0], [1, 4]), { weight: w }).item());
  assert.equal(String(new torch.nn.TripletMarginLoss()), 'TripletMarginLoss()');
  assert.throws(() => new torch.nn.TripletMarginLoss({ Margin: 1 } as never), /did you mean 'margin'/);
});

test('ctcLoss with no targets at all (empty concatenated targets): the loss is -sum_t log p_t(blank)', () => {
  const lp = torch.tensor([[[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]], [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]], [[0.3, 0.3, 0.4], [0.9, 0.05, 0.05]]], { dtype: 'float64' }).log();
  const loss = torch.nn.functional.ctcLoss(lp, torch.zeros([0], { dtype: 'int32' }), [3, 2], [0, 0], { reduction: 'none', blank: 2 });
  const want = [-(Math.log(0.2) + Math.log(0.1) + Math.log(0.4)), -(Math.log(0.25) + Math.log(0.6))];
  const got = loss.tolist() as number[];
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `${v} vs ${want[i]}`));
});
