// The web example's Grad-CAM; the data parsing, split and CNN are ../digits_model.ts's, shared with
// the Node sections (the test digits are the same). Nothing here touches the DOM or Node: the training
// worker (train_worker.ts) runs it.
import * as torch from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { upsampleBilinear, type DigitsCNN } from '../digits_model.js';

export { accuracy, digitsFromJson, makeDigitsCNN, mulberry32, shuffled, splitDigits, type Digits as Split, type DigitsCNN, type DigitsFile } from '../digits_model.js';

export interface GradCam {
  /** The predicted class and the softmax probabilities of all ten. */
  pred: number;
  probs: Float32Array;
  /** The Grad-CAM of the predicted class, 8×8 (upsampled bilinearly from relu2's 4×4), ≥ 0. */
  cam: Float32Array;
}

/**
 * Grad-CAM (Selvaraju et al., 2017) of one image [1, 1, 8, 8]: a forward hook on relu2 keeps its
 * output A, a full backward hook keeps ∂score/∂A for the predicted class's score; then
 * cam = relu(Σ_k mean_hw(∂score/∂A_k) · A_k), upsampled to 8×8.
 */
export function gradCam(model: DigitsCNN, x: Tensor): GradCam {
  let acts: Tensor | undefined;
  let grads: Tensor | undefined;
  const hf = model.relu2.registerForwardHook((_m, _args, out: Tensor) => {
    acts = out;
  });
  const hb = model.relu2.registerFullBackwardHook((_m, _gradInput, gradOutput) => {
    grads = gradOutput[0]!;
  });
  try {
    const logits = model.call(x);
    const pred = logits.argmax(1).item();
    logits.select(1, pred).sum().backward();
    if (!acts || !grads) throw new Error('Grad-CAM: the hooks on relu2 did not fire');
    const A = acts.detach();
    const G = grads;
    return torch.noGrad(() => {
      const cam4 = G.mean([2, 3], true).mul(A).sum(1).relu().select(0, 0); // [4, 4]
      const cam = upsampleBilinear(cam4, 8, 8);
      return {
        pred,
        probs: logits.detach().softmax(1).select(0, 0).toArray() as Float32Array,
        cam: cam.contiguous().toArray() as Float32Array,
      };
    });
  } finally {
    hf.remove();
    hb.remove();
    for (const p of model.parameters()) p.grad = null;
  }
}
