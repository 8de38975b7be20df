// Bad input gets a typed error naming the function, the argument and the shapes: each row is one
// input check of ops/ and nn.functional with its whole message. A sampled mutation run (MUTATION.md)
// found that most surviving mutants were input checks no test reached; these rows reach them.
import { test } from 'node:test';
import * as torch from '../src/index.js';
import { rejects } from './support/throws.js';

// The rows call with wrong types on purpose; `any` keeps the compiler from rejecting them first.
const F = torch.nn.functional as any;
const T = torch as any;
const L = torch.linalg as any;
const r = (...s: number[]) => torch.randn(s);
const i32 = (v: number[]) => torch.tensor(v, { dtype: 'int32' });
const f64 = (...s: number[]) => torch.randn(s, { dtype: 'float64' });
const x23 = r(2, 3);

test('shape ops: flatten, permute, t/mT, movedim, expand, narrow, cat, stack, split, chunk, roll, pad, repeat, diagonal, diagEmbed', () => {
  rejects([
    ['flatten start after end', () => torch.flatten(r(2, 3, 4), 2, 1), 'ValueError', 'flatten(): start_dim (2) cannot come after end_dim (1)'],
    ['permute wrong count', () => torch.permute(x23, [0]), 'ShapeError', "permute(): number of dims don't match in permute: got [0] for a tensor of shape [2, 3]"],
    ['permute repeated', () => torch.permute(x23, [1, 1]), 'ShapeError', 'permute(): duplicate dims are not allowed: got [1, 1]'],
    ['t of 3-D', () => torch.t(r(2, 2, 2)), 'ShapeError', 't(): expects a tensor with <= 2 dimensions, but self is 3D'],
    ['mT of 1-D', () => r(3).mT, 'ShapeError', 'mT: tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.'],
    ['movedim lengths', () => torch.movedim(r(2, 3, 4), [0, 1], [2]), 'ValueError', 'movedim(): Invalid source or destination dims: source (0,1) and destination (2) must have the same number of elements'],
    ['movedim repeated', () => torch.movedim(r(2, 3, 4), [0, 0], [1, 2]), 'ValueError', 'movedim(): repeated dim in source (0, 0)'],
    ['expand fewer sizes', () => r(2, 3).expand([3]), 'ShapeError', 'expand(): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)'],
    ['expand -1 leading', () => r(3).expand([-1, 3]), 'ShapeError', 'expand(): -1 is not allowed in a leading, non-existing dimension: [-1, 3]'],
    ['narrow past end', () => torch.narrow(x23, 1, 2, 2), 'IndexError', 'narrow(): start (2) + length (2) exceeds dimension size (3) of dim 1 of a tensor of shape [2, 3]'],
    ['cat empty', () => torch.cat([]), 'ValueError', 'cat(): expected a non-empty list of Tensors'],
    ['cat 0-d', () => torch.cat([torch.tensor(1), torch.tensor(2)]), 'ShapeError', 'cat(): zero-dimensional tensor (at position 0) cannot be concatenated'],
    ['stack empty', () => torch.stack([]), 'ValueError', 'stack(): expected a non-empty list of Tensors'],
    ['stack unequal', () => torch.stack([r(2), r(3)]), 'ShapeError', 'stack(): stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1'],
    ['split bad arg', () => torch.split(x23, 'a' as never), 'ValueError', 'split(): split_size_or_sections must be an integer or an array of integers, got string'],
    ['split size 0', () => torch.split(x23, 0), 'ValueError', 'split(): split_size must be positive, got 0'],
    ['split sizes sum', () => torch.split(x23, [1, 1], 1), 'ShapeError', "split(): split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 1), but got split_sizes=[1, 1]"],
    ['chunk 0', () => torch.chunk(x23, 0), 'ValueError', 'chunk(): chunk expects `chunks` to be greater than 0, got: 0'],
    ['roll shifts dims', () => torch.roll(x23, [1, 2], [0]), 'ValueError', 'roll(): shifts and dimensions must align. shifts: 2, dims: 1'],
    ['pad not array', () => F.pad(x23, 1), 'ValueError', 'pad(): pad must be an array of integers, got number'],
    ['pad entry', () => F.pad(x23, [1.5, 0]), 'ValueError', 'pad(): pad entries must be integers, got 1.5 in [1.5, 0]'],
    ['pad mode', () => F.pad(x23, [1, 1], 'wrap'), 'ValueError', "pad(): mode must be 'constant', 'reflect', 'replicate' or 'circular', got wrap"],
    ['pad value', () => F.pad(x23, [1, 1], 'constant', 'a'), 'ValueError', 'pad(): value must be a number, got string'],
    ['pad length', () => F.pad(x23, [1, 1, 1]), 'ValueError', 'pad(): Padding length must be divisible by 2 and at most twice the number of dims (2), got 3'],
    ['pad negative size', () => F.pad(x23, [-2, -2]), 'ShapeError', 'pad(): the padded size of dim 1 would be negative (3 padded by (-2, -2)) for input [2, 3]'],
    ['pad reflect empty', () => F.pad(torch.zeros([2, 0]), [1, 1], 'reflect'), 'ShapeError', 'pad(): reflect padding needs a non-empty dim 1, input [2, 0]'],
    ['pad circular too big', () => F.pad(r(1, 2, 2), [3, 0], 'circular'), 'ValueError', 'pad(): circular padding (3, 0) must be at most the input size 2 of dim 2'],
    ['pad reflect too big', () => F.pad(r(1, 2, 2), [2, 0], 'reflect'), 'ValueError', 'pad(): reflect padding (2, 0) must be smaller than the input size 2 of dim 2'],
    ['repeat negative', () => x23.repeat([1, -1]), 'ValueError', 'repeat(): Trying to create tensor with negative dimension: [1, -1]'],
    ['repeat fewer', () => x23.repeat([2]), 'ValueError', 'repeat(): Number of dimensions of repeat dims (1) can not be smaller than number of dimensions of tensor (2)'],
    ['diagonal offset', () => torch.diagonal(x23, 0.5 as never), 'ValueError', 'diagonal(): offset must be an integer, got 0.5'],
    ['diagonal 1-D', () => torch.diagonal(r(3)), 'ValueError', 'diagonal(): input must have at least 2 dimensions, got 1'],
    ['diagonal same dims', () => torch.diagonal(x23, 0, 1, 1), 'ValueError', 'diagonal(): diagonal dimensions cannot be identical 1, 1'],
    ['diagEmbed offset', () => torch.diagEmbed(r(3), 0.5), 'ValueError', 'diagEmbed(): offset must be an integer, got 0.5'],
    ['diagEmbed 0-d', () => torch.diagEmbed(torch.tensor(1)), 'ValueError', 'diagEmbed(): input must have at least 1 dimension, got 0'],
    ['diagEmbed same dims', () => torch.diagEmbed(r(3), 0, 1, 1), 'ValueError', 'diagEmbed(): diagonal dimensions cannot be identical 1, 1'],
  ]);
});

test('creation: tensor, zeros, full, *Like, arange, linspace, randint', () => {
  rejects([
    ['tensor DataView', () => torch.tensor(new DataView(new ArrayBuffer(4)) as never), 'DTypeError', 'tensor(): a DataView is not supported; pass a typed array'],
    ['tensor shape on nested', () => torch.tensor([[1, 2]], { shape: [2] } as never), 'ValueError', 'tensor(): the shape option applies to typed arrays; nested arrays carry their own shape'],
    ['tensor string', () => torch.tensor('a' as never), 'ValueError', 'tensor(): expected a number, a boolean, a (nested) array or a typed array, got string'],
    ['tensor null', () => torch.tensor(null as never), 'ValueError', 'tensor(): expected a number, a boolean, a (nested) array or a typed array, got null'],
    ['zeros size string', () => T.zeros('a'), 'ValueError', 'zeros(): expected a size as numbers or one array of numbers, got (string)'],
    ['zeros mixed', () => T.zeros(2, [3]), 'ValueError', 'zeros(): expected a size as numbers or one array of numbers, got (number, array)'],
    ['full value string', () => torch.full([2], 'a' as never), 'ValueError', 'full(): fill value must be a number or boolean, got string'],
    ['zerosLike non-tensor', () => torch.zerosLike(null as never), 'DTypeError', "zerosLike(): argument 'input' must be a Tensor, got null"],
    ['arange too many', () => T.arange(1, 2, 3, 4), 'ValueError', 'arange(): expected 1 to 3 numbers and an optional options object, got (number, number, number, number)'],
    ['arange step 0', () => torch.arange(0, 1, 0), 'ValueError', 'arange(): step must be nonzero'],
    ['arange huge', () => torch.arange(0, 1e12), 'ValueError', 'arange(): start=0, end=1000000000000, step=1 would make 1000000000000 values, more than the 2147483647 torchfn supports'],
    ['linspace steps', () => torch.linspace(0, 1, -1), 'ValueError', 'linspace(): number of steps must be non-negative, got -1'],
    ['randint non-integer', () => torch.randint(0.5, 3, [2]), 'ValueError', 'randint(): low and high must be integers, got low=0.5, high=3'],
    ['randint high <= low', () => torch.randint(3, 3, [2]), 'ValueError', 'randint(): expected low < high, got low=3, high=3'],
  ]);
});

test('nn.functional layers: linear, bilinear', () => {
  rejects([
    ['linear weight 3-D', () => F.linear(x23, r(2, 3, 4)), 'ShapeError', 'linear(): expected weight to be 1-D or 2-D, got [2, 3, 4]'],
    ['linear 0-d input', () => F.linear(torch.tensor(1), r(2, 1)), 'ShapeError', 'linear(): expected input to have at least 1 dimension, got a 0-D tensor'],
    ['linear bias', () => F.linear(x23, r(4, 3), r(3)), 'ShapeError', 'linear(): expected bias of shape [4] for weight [4, 3], got [3]'],
    ['bilinear weight 2-D', () => F.bilinear(r(2, 3), r(2, 4), r(5, 3)), 'ShapeError', 'bilinear(): expected weight to be 3-D [out, in1, in2], got [5, 3]'],
    ['bilinear batch', () => F.bilinear(r(2, 3), r(3, 4), r(5, 3, 4)), 'ShapeError', 'bilinear(): input1 and input2 must have the same size except for the last dimension, but got [2, 3] and [3, 4]'],
    ['bilinear in1', () => F.bilinear(r(2, 2), r(2, 4), r(5, 3, 4)), 'ShapeError', 'bilinear(): input1 size does not match weight size: got 2 but expected 3 (input1 [2, 2], weight [5, 3, 4])'],
    ['bilinear in2', () => F.bilinear(r(2, 3), r(2, 2), r(5, 3, 4)), 'ShapeError', 'bilinear(): input2 size does not match weight size: got 2 but expected 4 (input2 [2, 2], weight [5, 3, 4])'],
    ['bilinear bias', () => F.bilinear(r(2, 3), r(2, 4), r(5, 3, 4), r(4)), 'ShapeError', 'bilinear(): bias size does not match weight size: got [4] but expected [5]'],
  ]);
});

test('nn.functional losses', () => {
  rejects([
    ['mseLoss int target', () => F.mseLoss(x23, i32([1, 2, 3])), 'DTypeError', 'mseLoss(): expected target to be a floating point tensor like input (float32), got int32'],
    ['mseLoss broadcast', () => F.mseLoss(x23, r(4)), 'ShapeError', 'mseLoss(): Using a target size ([4]) that is different to the input size ([2, 3]) is not supported. Please ensure they have the same size.'],
    ['smoothL1 beta', () => F.smoothL1Loss(x23, x23, { beta: -1 }), 'ValueError', 'smoothL1Loss(): smooth_l1_loss does not support negative values for beta (got -1)'],
    ['huber delta', () => F.huberLoss(x23, x23, { delta: 0 }), 'ValueError', 'huberLoss(): huber_loss does not support non-positive values for delta (got 0)'],
    ['nllLoss float target', () => F.nllLoss(x23, r(2)), 'DTypeError', "nllLoss(): expected target to be an int32 tensor of class indices, got float32 of shape [2]; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['nllLoss 0-d input', () => F.nllLoss(torch.tensor(1), i32([0])), 'ShapeError', 'nllLoss(): input must have at least 1 dimension (the classes), got a 0-D tensor'],
    ['nllLoss 2-D target', () => F.nllLoss(x23, torch.zeros([2, 2], { dtype: 'int32' })), 'ShapeError', 'nllLoss(): 0D or 1D target tensor expected, multi-target not supported (input [2, 3], target [2, 2])'],
    ['nllLoss ignoreIndex', () => F.nllLoss(x23, i32([0, 1]), { ignoreIndex: 0.5 }), 'ValueError', 'nllLoss(): ignoreIndex must be an integer, got 0.5'],
    ['nllLoss target bound', () => F.nllLoss(x23, i32([0, 3])), 'IndexError', 'nllLoss(): Target 3 is out of bounds (expected class indices in [0, 2]).'],
    ['crossEntropy smoothing', () => F.crossEntropy(x23, i32([0, 1]), { labelSmoothing: 2 }), 'ValueError', 'crossEntropy(): label_smoothing must be between 0.0 and 1.0. Got: 2'],
    ['crossEntropy 0-d', () => F.crossEntropy(torch.tensor(1), i32([0])), 'ShapeError', 'crossEntropy(): input must have at least 1 dimension (the classes), got a 0-D tensor'],
    ['crossEntropy probs ignore', () => F.crossEntropy(x23, torch.softmax(x23, 1), { ignoreIndex: 1 }), 'ValueError', 'crossEntropy(): ignore_index is not supported for floating point target'],
    ['bce out of range', () => F.binaryCrossEntropy(torch.tensor([0.5, 1.5]), torch.tensor([0, 1])), 'ValueError', 'binaryCrossEntropy(): all elements of input should be between 0 and 1 (found 1.5)'],
    ['multiMargin float target', () => F.multiMarginLoss(x23, r(2)), 'DTypeError', "multiMarginLoss(): expected 'target' to have dtype int32, got float32; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['multiMargin 3-D', () => F.multiMarginLoss(r(2, 3, 4), i32([0, 1])), 'ShapeError', 'multiMarginLoss(): Expected non-empty vector or matrix with optional 0-dim batch size, but got: [2, 3, 4]'],
    ['multiMargin target size', () => F.multiMarginLoss(x23, i32([0, 1, 2])), 'ShapeError', 'multiMarginLoss(): inconsistent target size, expected 2 but got [3] (input [2, 3])'],
    ['multiMargin target range', () => F.multiMarginLoss(x23, i32([0, 3])), 'ValueError', 'multiMarginLoss(): target out of range: 3 (for 3 classes)'],
    ['multiMargin weight', () => F.multiMarginLoss(x23, i32([0, 1]), { weight: r(2) }), 'ShapeError', 'multiMarginLoss(): weight must be 1-D with 3 elements, got [2]'],
    ['multilabelMargin size', () => F.multilabelMarginLoss(x23, torch.zeros([2, 2], { dtype: 'int32' })), 'ShapeError', 'multilabelMarginLoss(): inconsistent target size: [2, 2] for input of size: [2, 3]'],
    ['multilabelMargin range', () => F.multilabelMarginLoss(x23, torch.tensor([[0, 3, -1], [1, -1, 0]], { dtype: 'int32' })), 'ValueError', 'multilabelMarginLoss(): target value 3 out of range (-1 ends the list; classes 0..2)'],
    ['triplet margin', () => F.tripletMarginWithDistanceLoss(x23, x23, x23, { margin: 0 }), 'ValueError', 'tripletMarginWithDistanceLoss(): margin must be greater than 0, got 0'],
    ['triplet ndim', () => F.tripletMarginWithDistanceLoss(x23, r(3), x23), 'ShapeError', 'tripletMarginWithDistanceLoss(): The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor 2D, positive 1D, and negative 2D inputs'],
  ]);
});

test('nn.functional activations, normalization, shuffles, convTbc, unpooling, Lp pooling', () => {
  rejects([
    ['celu alpha 0', () => F.celu(x23, 0), 'ValueError', 'celu(): ZeroDivisionError: alpha cannot be 0 for CELU'],
    ['hardshrink lambd', () => F.hardshrink(x23, -1), 'ValueError', 'hardshrink(): lambda must be greater or equal to 0, but found to be -1.'],
    ['softshrink lambd', () => F.softshrink(x23, -1), 'ValueError', 'softshrink(): lambda must be greater or equal to 0, but found to be -1.'],
    ['prelu channels', () => F.prelu(x23, r(2)), 'ShapeError', 'prelu(): Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3 (input [2, 3]).'],
    ['pairwiseDistance p', () => F.pairwiseDistance(x23, x23, { p: -1 }), 'ValueError', 'pairwiseDistance(): p must be positive, 0 or Infinity, got -1'],
    ['pixelShuffle factor', () => F.pixelShuffle(r(1, 4, 2, 2), 0), 'ValueError', 'pixelShuffle(): factor must be a positive integer, got 0'],
    ['pixelShuffle ndim', () => F.pixelShuffle(r(4, 2), 2), 'ShapeError', 'pixelShuffle(): expected an input of at least 3 dims [*, C, H, W], got [4, 2]'],
    ['pixelShuffle channels', () => F.pixelShuffle(r(1, 3, 2, 2), 2), 'ShapeError', 'pixelShuffle(): expected the channel dim 3 to be divisible by the square of the upscale factor 2'],
    ['pixelUnshuffle hw', () => F.pixelUnshuffle(r(1, 1, 3, 4), 2), 'ShapeError', 'pixelUnshuffle(): expected height 3 and width 4 to be divisible by the downscale factor 2'],
    ['layerNorm eps', () => F.layerNorm(x23, 3, null, null, 'a'), 'ValueError', 'layerNorm(): eps must be a number, got string'],
    ['layerNorm shape', () => F.layerNorm(x23, 'a'), 'ValueError', 'layerNorm(): normalized_shape must be an integer or an array of integers, got string'],
    ['layerNorm weight', () => F.layerNorm(x23, [3], r(2)), 'ShapeError', 'layerNorm(): Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and normalized_shape = [3]'],
    ['batchNorm 1-D', () => F.batchNorm(r(3), null, null), 'ShapeError', 'batchNorm(): expected input with at least 2 dims [N, C, *], got input of size [3]'],
    ['batchNorm momentum', () => F.batchNorm(x23, null, null, null, null, { training: true, momentum: 'a' }), 'ValueError', 'batchNorm(): momentum must be a number or a 0-d tensor, got a'],
    ['batchNorm eval no stats', () => F.batchNorm(x23, null, null, null, null, { training: false }), 'ValueError', 'batchNorm(): running_mean and running_var must be defined in evaluation mode (training: false)'],
    ['groupNorm 1-D', () => F.groupNorm(r(3), 1), 'ShapeError', 'groupNorm(): Expected at least 2 dimensions for input tensor but received 1 (input of size [3])'],
    ['groupNorm weight', () => F.groupNorm(r(2, 4), 2, r(3)), 'ShapeError', 'groupNorm(): Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [3] and input of shape [2, 4]'],
    ['instanceNorm 2-D', () => F.instanceNorm(x23), 'ShapeError', 'instanceNorm(): expected an input [N, C, *] with at least one spatial dim, got [2, 3]'],
    ['instanceNorm one stat', () => F.instanceNorm(r(2, 3, 4), { runningMean: torch.zeros([3]) }), 'ValueError', 'instanceNorm(): give both runningMean and runningVar, or neither'],
    ['localResponseNorm 2-D', () => F.localResponseNorm(x23, 2), 'ShapeError', 'localResponseNorm(): Expected 3D or higher dimensionality input (got 2 dimensions)'],
    ['localResponseNorm size', () => F.localResponseNorm(r(1, 2, 3), 0), 'ValueError', 'localResponseNorm(): size must be a positive integer, got 0'],
    ['channelShuffle non-tensor', () => F.channelShuffle(null, 2), 'ValueError', "channelShuffle(): expected 'input' to be a Tensor, got null"],
    ['channelShuffle groups', () => F.channelShuffle(r(1, 4, 2), 0), 'ValueError', 'channelShuffle(): Number of groups to divide channels in must be positive. Value of groups:0'],
    ['channelShuffle ndim', () => F.channelShuffle(x23, 1), 'ShapeError', 'channelShuffle(): channel_shuffle expects input to have at least 3 dimensions, but got input with sizes [2, 3]'],
    ['pdist p', () => F.pdist(x23, -1), 'ValueError', 'pdist(): pdist only supports non-negative p values, got -1'],
    ['convTbc x ndim', () => F.convTbc(x23, r(1, 3, 2), r(2)), 'ShapeError', 'convTbc(): Input must have 3 dims: time, batch, in_channel (got [2, 3])'],
    ['convTbc weight ndim', () => F.convTbc(r(4, 2, 3), r(3, 2), r(2)), 'ShapeError', 'convTbc(): Weight tensor must have 3 dims: kernel_width, in_channels, out_channels (got [3, 2])'],
    ['convTbc bias ndim', () => F.convTbc(r(4, 2, 3), r(1, 3, 2), r(2, 1)), 'ShapeError', 'convTbc(): Bias must be 1-D (got [2, 1])'],
    ['convTbc channels', () => F.convTbc(r(4, 2, 3), r(1, 2, 2), r(2)), 'ShapeError', 'convTbc(): Input dim 2 (input channels) is not == dim 1 in the weight tensor (3 vs 2)'],
    ['convTbc bias size', () => F.convTbc(r(4, 2, 3), r(1, 3, 2), r(3)), 'ShapeError', 'convTbc(): Bias size must equal dim 2 in the weight tensor (output channels): 3 vs 2'],
    ['maxUnpool2d indices non-tensor', () => F.maxUnpool2d(r(1, 1, 2, 2), null, 2), 'ValueError', "maxUnpool2d(): expected 'indices' to be a Tensor, got null"],
    ['maxUnpool2d indices float', () => F.maxUnpool2d(r(1, 1, 2, 2), r(1, 1, 2, 2), 2), 'DTypeError', "maxUnpool2d(): elements in indices should be type int32 (torchfn's int64), got float32"],
    ['maxUnpool2d indices shape', () => F.maxUnpool2d(r(1, 1, 2, 2), torch.zeros([1, 1, 2, 1], { dtype: 'int32' }), 2), 'ShapeError', 'maxUnpool2d(): Expected shape of indices to be same as that of the input tensor ([1, 1, 2, 2]) but got indices tensor with shape: [1, 1, 2, 1]'],
    ['maxUnpool2d outputSize length', () => F.maxUnpool2d(r(1, 1, 2, 2), torch.zeros([1, 1, 2, 2], { dtype: 'int32' }), 2, { outputSize: [4] }), 'ValueError', "maxUnpool2d(): output_size should be a sequence containing 2 or 4 elements, but it has a length of '1'"],
    ['maxUnpool2d outputSize range', () => F.maxUnpool2d(r(1, 1, 2, 2), torch.zeros([1, 1, 2, 2], { dtype: 'int32' }), 2, { outputSize: [9, 4] }), 'ValueError', 'maxUnpool2d(): invalid output_size "[9,4]" (dim 0 must be between 2 and 6)'],
    ['maxUnpool2d bad index', () => F.maxUnpool2d(r(1, 1, 2, 2), torch.full([1, 1, 2, 2], 16, { dtype: 'int32' }), 2), 'IndexError', 'maxUnpool2d(): Found an invalid max index: 16 (output volumes are of size 4x4)'],
    ['lpPool2d normType', () => F.lpPool2d(r(1, 1, 4, 4), 0, 2), 'ValueError', 'lpPool2d(): normType must be a nonzero number, got 0'],
  ]);
});

test('torch.linalg: matrixPower, multiDot, cross, vecdot, vander, tensorinv, tensorsolve, householderProduct', () => {
  rejects([
    ['matrixPower n', () => L.matrixPower(r(2, 2), 0.5), 'ValueError', 'linalg.matrix_power: n must be an integer, got 0.5'],
    ['multiDot not array', () => L.multiDot(r(2, 2)), 'ValueError', 'multi_dot(): expected an array of tensors'],
    ['multiDot one', () => L.multiDot([r(2, 2)]), 'ValueError', 'multi_dot(): expected at least 2 tensors but got 1'],
    ['multiDot first 3-D', () => L.multiDot([r(1, 2, 2), r(2, 2)]), 'ShapeError', 'multi_dot(): the first tensor must be 1D or 2D but got 3D'],
    ['multiDot last 3-D', () => L.multiDot([r(2, 2), r(1, 2, 2)]), 'ShapeError', 'multi_dot(): the last tensor must be 1D or 2D but got 3D'],
    ['multiDot middle 1-D', () => L.multiDot([r(2, 2), r(2), r(2, 2)]), 'ShapeError', 'multi_dot(): tensor 1 must be 2D but got 1D'],
    ['multiDot dtypes', () => L.multiDot([r(2, 2), torch.randn([2, 2], { dtype: 'float64' })]), 'DTypeError', 'multi_dot(): all tensors must have the same dtype, but tensor 0 is float32 and another is float64'],
    ['cross ndim', () => L.cross(r(2, 3), r(3)), 'ShapeError', 'linalg.cross: inputs must have the same number of dimensions, got 2 and 1'],
    ['vecdot 0-d', () => L.vecdot(torch.tensor(1), torch.tensor(1)), 'ShapeError', 'linalg.vecdot: expected tensors with at least 1 dimension, got 0-d'],
    ['vander 0-d', () => L.vander(torch.tensor(1)), 'ShapeError', 'linalg.vander: x must have at least one dimension, got a 0-d tensor'],
    ['vander N', () => L.vander(r(3), { N: 1 }), 'ValueError', 'linalg.vander: N must be greater than 1, got 1'],
    ['tensorinv ind', () => L.tensorinv(r(4, 2, 2), { ind: 0 }), 'ValueError', "linalg.tensorinv: Expected a strictly positive integer for 'ind', but got 0"],
    ['tensorinv ind large', () => L.tensorinv(r(4, 2, 2), { ind: 4 }), 'IndexError', 'linalg.tensorinv: ind = 4 is larger than the number of dims of A [4, 2, 2]'],
    ['tensorinv prod', () => L.tensorinv(r(4, 3), { ind: 1 }), 'ShapeError', 'linalg.tensorinv: Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got 3 != 4'],
    ['tensorsolve prod', () => L.tensorsolve(r(2, 3, 4), r(2)), 'ShapeError', 'linalg.tensorsolve: Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got 12 != 2'],
    ['householder m<n', () => L.householderProduct(r(2, 3), r(2)), 'ShapeError', 'torch.linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1], got 2 and 3'],
    ['householder tau shape', () => L.householderProduct(r(3, 2), r(3)), 'ShapeError', "torch.linalg.householder_product: tau must have shape [..., k] with k <= 2 and A's batch dims, got [3] for input [3, 2]"],
    ['householder tau dtype', () => L.householderProduct(r(3, 2), torch.randn([2], { dtype: 'float64' })), 'DTypeError', 'torch.linalg.householder_product: tau dtype float64 does not match input dtype float32'],
  ]);
});

test('matmul, mm, bmm, dot, outer, einsum', () => {
  rejects([
    ['matmul 0-d', () => torch.matmul(torch.tensor(1), r(2)), 'ShapeError', 'matmul(): both arguments to matmul need to be at least 1D, but they are 0D and 1D'],
    ['mm 1-D', () => torch.mm(r(2), r(2, 2)), 'ShapeError', 'mm(): expected 2-D tensors, got [2] and [2, 2]'],
    ['bmm 2-D', () => torch.bmm(r(2, 2), r(2, 2)), 'ShapeError', 'bmm(): expected 3-D tensors, got [2, 2] and [2, 2]'],
    ['bmm batch', () => torch.bmm(r(2, 2, 2), r(3, 2, 2)), 'ShapeError', 'bmm(): batch sizes differ: [2, 2, 2] and [3, 2, 2]'],
    ['dot 2-D', () => torch.dot(x23, x23), 'ShapeError', 'dot(): 1D tensors expected, but got 2D and 2D tensors'],
    ['dot sizes', () => torch.dot(r(2), r(3)), 'ShapeError', 'dot(): inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, but got 2 and 3 elements respectively'],
    ['outer 2-D', () => torch.outer(x23, r(2)), 'ShapeError', 'outer(): expected 1-D tensors, got [2, 3] and [2]'],
    ['einsum repeated sizes', () => torch.einsum('ii->i', x23), 'ShapeError', 'einsum(): subscript i is repeated with different sizes'],
    ['einsum broadcast', () => torch.einsum('ij,ij->ij', r(2, 3), r(2, 4)), 'ShapeError', 'einsum(): operands do not broadcast: subscript j has size 3 and 4'],
    ['einsum equation', () => T.einsum(3, x23), 'ValueError', 'einsum(): equation must be a string, got number'],
    ['einsum operand count', () => torch.einsum('ij,jk->ik', x23), 'ValueError', "einsum(): 2 operand subscripts given for 1 operands in 'ij,jk->ik'"],
    ['einsum subscripts', () => torch.einsum('ijk->i', x23), 'ValueError', "einsum(): the number of subscripts in 'ijk' does not match the number of dimensions (2) of operand 0"],
    ['einsum output letter', () => torch.einsum('ij->k', x23), 'ValueError', 'einsum(): output subscript k does not appear in the inputs'],
  ]);
});

test('indexing: slice strings, ellipsis, index dtypes, indexPut_', () => {
  rejects([
    ['index slice parts', () => torch.index(x23, '1:2:3:4'), 'ValueError', "index(): cannot parse slice '1:2:3:4'"],
    ['index slice number', () => torch.index(x23, '1.5:2'), 'ValueError', "index(): cannot parse slice '1.5:2'"],
    ['index two ellipses', () => torch.index(x23, '...', '...'), 'IndexError', "index(): an index can only have a single ellipsis ('...')"],
    ['index too many', () => torch.index(x23, 0, 0, 0), 'IndexError', 'index(): too many indices for tensor of dimension 2'],
    ['index float tensor', () => torch.index(x23, torch.tensor([0])), 'DTypeError', "index(): tensors used as indices must be int32 or bool, got float32; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['indexPut_ not array', () => torch.indexPut_(x23, 0 as never, torch.tensor(1)), 'IndexError', 'indexPut_(): indices must be an array of indices, got number'],
    ['indexPut_ two tensors', () => torch.indexPut_(x23, [i32([0]), i32([0])], torch.tensor(1)), 'IndexError', 'indexPut_(): only one index tensor is supported when writing'],
    ['indexPut_ mask shape', () => torch.indexPut_(x23, [torch.tensor([true, false, true])], torch.tensor(1)), 'IndexError', 'indexPut_(): The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2] at index 0'],
  ]);
});

test('elementwise and reductions: where, clamp, isclose, scalar operands, mean, amax, norm, topk, randperm', () => {
  rejects([
    ['where non-bool', () => torch.where(x23, x23, x23), 'DTypeError', 'where(): expected condition to be a bool tensor, got float32'],
    ['clamp string', () => T.clamp(x23, 'a'), 'ValueError', 'clamp(): expected an options object { min, max }, got string a'],
    ['isclose rtol', () => torch.isclose(x23, x23, { rtol: -1 }), 'ValueError', 'isclose(): rtol must be greater than or equal to zero, but got -1'],
    ['isclose atol', () => torch.isclose(x23, x23, { atol: -1 }), 'ValueError', 'isclose(): atol must be greater than or equal to zero, but got -1'],
    ['add two numbers', () => T.add(1, 2), 'DTypeError', 'add(): expected at least one tensor operand, got number and number'],
    ['add array', () => T.add(x23, [1, 2]), 'DTypeError', 'add(): expected a Tensor or a number, got an array'],
    ['mean int', () => torch.mean(i32([1, 2])), 'DTypeError', 'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: int32'],
    ['amax empty', () => torch.amax(torch.zeros([0, 2])), 'IndexError', 'amax(): Expected reduction dim to be specified for input.numel() == 0, or the reduced dimension to be non-empty; got shape [0,2]'],
    ['norm p 0', () => T.norm(x23, 0), 'ValueError', 'norm(): unsupported p=0'],
    ['topk k', () => torch.topk(r(3), 4), 'ValueError', 'topk(): selected index k=4 is out of range for dimension 0 of size 3'],
    ['randperm n', () => torch.randperm(-1), 'ValueError', 'randperm(): n must be a non-negative integer, got -1'],
  ]);
});

test('nn.functional embeddings: embedding, embeddingBag, oneHot', () => {
  rejects([
    ['embedding float indices', () => F.embedding(r(2), r(3, 2)), 'DTypeError', "embedding(): Expected tensor for argument 'indices' to have scalar type int32; but got float32 instead; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['embedding weight 1-D', () => F.embedding(i32([0]), r(3)), 'ShapeError', "embedding(): 'weight' must be 2-D [numEmbeddings, embeddingDim], got [3]"],
    ['embedding range', () => F.embedding(i32([3]), r(3, 2)), 'IndexError', 'embedding(): index out of range in self (index 3 for a weight of 3 rows)'],
    ['embeddingBag float input', () => F.embeddingBag(r(2), r(3, 2), { offsets: i32([0]) }), 'DTypeError', "embeddingBag(): Expected tensor for argument 'input' to have scalar type int32; but got float32 instead; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['embeddingBag weight 1-D', () => F.embeddingBag(i32([0]), r(3), { offsets: i32([0]) }), 'ShapeError', "embeddingBag(): 'weight' must be 2-D [numEmbeddings, embeddingDim], got [3]"],
    ['embeddingBag mode', () => F.embeddingBag(i32([0]), r(3, 2), { offsets: i32([0]), mode: 'min' }), 'ValueError', "embeddingBag(): mode has to be one of sum, mean or max, got 'min'"],
    ['embeddingBag weights mean', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: i32([0]), mode: 'mean', perSampleWeights: r(2) }), 'ValueError', "embeddingBag(): embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='mean'). Please open a feature request on GitHub."],
    ['embeddingBag weights shape', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: i32([0]), mode: 'sum', perSampleWeights: r(3) }), 'ShapeError', 'embeddingBag(): embedding_bag: If per_sample_weights ([3]) is not None, then it must have the same shape as the input ([2])'],
    ['embeddingBag paddingIdx', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: i32([0]), paddingIdx: 3 }), 'IndexError', 'embeddingBag(): padding_idx must be within num_embeddings (got paddingIdx=3 for 3 embeddings)'],
    ['embeddingBag range', () => F.embeddingBag(i32([0, 3]), r(3, 2), { offsets: i32([0]) }), 'IndexError', 'embeddingBag(): index out of range in self (index 3 for a weight of 3 rows)'],
    ['embeddingBag 2-D offsets', () => F.embeddingBag(torch.zeros([2, 2], { dtype: 'int32' }), r(3, 2), { offsets: i32([0]) }), 'ValueError', 'embeddingBag(): if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of shape [1]'],
    ['embeddingBag 3-D', () => F.embeddingBag(torch.zeros([1, 1, 1], { dtype: 'int32' }), r(3, 2)), 'ShapeError', 'embeddingBag(): input has to be 1D or 2D Tensor, but got Tensor of dimension 3'],
    ['embeddingBag no offsets', () => F.embeddingBag(i32([0, 1]), r(3, 2)), 'ValueError', 'embeddingBag(): offsets has to be a 1D Tensor but got None'],
    ['embeddingBag float offsets', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: r(1) }), 'DTypeError', "embeddingBag(): Expected tensor for argument 'offsets' to have scalar type int32; but got float32 instead; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['embeddingBag 2-D offsets tensor', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: torch.zeros([1, 1], { dtype: 'int32' }) }), 'ShapeError', 'embeddingBag(): offsets has to be a 1D Tensor, but got Tensor of dimension 2'],
    ['embeddingBag last offset', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: torch.zeros([0], { dtype: 'int32' }), includeLastOffset: true }), 'ShapeError', 'embeddingBag(): includeLastOffset needs at least one offset, got offsets of shape [0]'],
    ['embeddingBag first offset', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: i32([1]) }), 'ValueError', 'embeddingBag(): offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got 1'],
    ['embeddingBag decreasing', () => F.embeddingBag(i32([0, 1]), r(3, 2), { offsets: i32([0, 2, 1]) }), 'ValueError', 'embeddingBag(): offsets must be non-decreasing and at most the input length 2, got 0, 2, 1'],
    ['oneHot float', () => F.oneHot(r(2), 3), 'DTypeError', "oneHot(): one_hot is only applicable to index tensor (int32), got float32; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['oneHot classes', () => F.oneHot(i32([0]), -2), 'ValueError', 'oneHot(): numClasses must be a non-negative integer or -1, got -2'],
  ]);
});

test('nn.functional windows: unfold, fold, convolutions, interpolate, affineGrid, gridSample, pooling', () => {
  rejects([
    ['unfold 2-D', () => F.unfold(x23, 2), 'ShapeError', 'unfold(): Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions, but got: [2, 3]'],
    ['fold 4-D', () => F.fold(r(1, 1, 1, 1), 2, 1), 'ShapeError', 'fold(): Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions, but got: [1, 1, 1, 1]'],
    ['fold rows', () => F.fold(r(1, 3, 4), [3, 3], 2), 'ShapeError', "fold(): Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=3 and kernel_size=(2, 2)"],
    ['conv2d groups', () => F.conv2d(r(1, 1, 3, 3), r(1, 1, 2, 2), null, { groups: 0 }), 'ValueError', 'conv2d(): non-positive groups is not supported (got groups=0)'],
    ['conv2d padding string', () => F.conv2d(r(1, 1, 3, 3), r(1, 1, 2, 2), null, { padding: 'full' }), 'ValueError', "conv2d(): Invalid padding string 'full', should be one of {'valid', 'same'}"],
    ['conv2d weight 3-D', () => F.conv2d(r(1, 1, 3, 3), r(1, 2, 2)), 'ShapeError', 'conv2d(): expected weight to be 4-D [out_channels, in_channels/groups, kH, kW], got weight of size [1, 2, 2]'],
    ['convTranspose2d weight 3-D', () => F.convTranspose2d(r(1, 1, 3, 3), r(1, 2, 2)), 'ShapeError', 'convTranspose2d(): expected weight to be 4-D [in_channels, out_channels/groups, kH, kW], got weight of size [1, 2, 2]'],
    ['conv2d too small', () => F.conv2d(r(1, 1, 2, 2), r(1, 1, 3, 3)), 'ShapeError', "conv2d(): Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size"],
    ['interpolate 5-D', () => F.interpolate(r(1, 1, 2, 2, 2), { size: 4 }), 'ShapeError', 'interpolate(): expected a 3-D [N, C, L] or 4-D [N, C, H, W] input, got [1, 1, 2, 2, 2]'],
    ['interpolate bilinear 3-D', () => F.interpolate(r(1, 1, 2), { size: 4, mode: 'bilinear' }), 'ShapeError', "interpolate(): mode 'bilinear' needs a 4-D input, got [1, 1, 2]"],
    ['interpolate size 0', () => F.interpolate(r(1, 1, 2), { size: 0 }), 'ValueError', 'interpolate(): output size 0 of spatial dim 0 must be a positive integer'],
    ['interpolate factor', () => F.interpolate(r(1, 1, 2), { scaleFactor: -1 }), 'ValueError', 'interpolate(): scaleFactor must be positive, got [-1]'],
    ['affineGrid size', () => F.affineGrid(r(1, 2, 3), [1, 1.5, 2, 2]), 'ValueError', 'affineGrid(): size must be a list of ints, got [1,1.5,2,2]'],
    ['affineGrid 3-D size', () => F.affineGrid(r(1, 2, 3), [1, 1, 2]), 'ValueError', 'affineGrid(): affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size [1, 1, 2].'],
    ['affineGrid zero size', () => F.affineGrid(r(1, 2, 3), [1, 1, 0, 2]), 'ValueError', 'affineGrid(): Expected non-zero, positive output size. Got [1, 1, 0, 2]'],
    ['gridSample padding', () => F.gridSample(r(1, 1, 2, 2), r(1, 2, 2, 2), { paddingMode: 'wrap' }), 'ValueError', "gridSample(): nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'wrap'"],
    ['gridSample 3-D', () => F.gridSample(r(1, 2, 2), r(1, 2, 2)), 'ShapeError', 'gridSample(): grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with sizes [1, 2, 2] and grid with sizes [1, 2, 2]'],
    ['gridSample grid ndim', () => F.gridSample(r(1, 1, 2, 2), r(1, 2, 2)), 'ShapeError', 'gridSample(): grid_sampler(): expected grid to have same number of dimensions as input (4D), but got grid with sizes [1, 2, 2]'],
    ['gridSample batch', () => F.gridSample(r(1, 1, 2, 2), r(2, 2, 2, 2)), 'ShapeError', 'gridSample(): grid_sampler(): expected grid and input to have same batch size, but got input with sizes [1, 1, 2, 2] and grid with sizes [2, 2, 2, 2]'],
    ['gridSample last dim', () => F.gridSample(r(1, 1, 2, 2), r(1, 2, 2, 3)), 'ShapeError', 'gridSample(): grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes [1, 2, 2, 3]'],
    ['gridSample empty', () => F.gridSample(r(1, 1, 0, 2), r(1, 2, 2, 2)), 'ShapeError', 'gridSample(): grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes [1, 1, 0, 2]'],
    ['maxPool2d 2-D', () => F.maxPool2d(x23, 2), 'ShapeError', 'maxPool2d(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: [2, 3]'],
    ['avgPool2d divisor', () => F.avgPool2d(r(1, 1, 2, 2), 2, { divisorOverride: 0 }), 'ValueError', 'avgPool2d(): divisor must be not zero, got divisorOverride=0'],
    ['adaptiveAvgPool2d size', () => F.adaptiveAvgPool2d(r(1, 1, 2, 2), 0), 'ValueError', 'adaptiveAvgPool2d(): outputSize must be a positive int or a pair of positive ints (or null), got 0'],
  ]);
});

test('torch.linalg norms: vectorNorm, matrixNorm, norm, cond, matrixRank', () => {
  rejects([
    ['vectorNorm dtype', () => L.vectorNorm(x23, { dtype: 'int32' }), 'DTypeError', 'linalg.vector_norm: dtype must be float32 or float64, got int32'],
    ['vectorNorm ord', () => L.vectorNorm(x23, { ord: 'fro' }), 'ValueError', 'linalg.vector_norm: ord must be a number, got "fro"'],
    ['vectorNorm inf empty', () => L.vectorNorm(torch.zeros([0]), { ord: Infinity }), 'ValueError', 'linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity'],
    ['matrixNorm dim', () => L.matrixNorm(x23, { dim: [0] }), 'ValueError', 'linalg.matrix_norm: dim must be a 2-tuple. Got [0]'],
    ['matrixNorm same dims', () => L.matrixNorm(x23, { dim: [1, 1] }), 'ValueError', 'linalg.matrix_norm: dims must be different. Got (1, 1)'],
    ['matrixNorm 2-norm empty', () => L.matrixNorm(torch.zeros([0, 0]), { ord: 2 }), 'ValueError', 'linalg.matrix_norm: the 2-norm of an empty matrix is not defined (max / min over no singular values)'],
    ['matrixNorm 1-norm empty', () => L.matrixNorm(torch.zeros([0, 0]), { ord: 1 }), 'ValueError', 'linalg.matrix_norm: the 1-norm of an empty matrix is not defined'],
    ['norm dim length', () => L.norm(x23, { dim: [0, 1, 2] }), 'ValueError', 'linalg.norm: If dim is specified, it must be of length 1 or 2. Got [0,1,2]'],
    ['norm ord 3-D', () => L.norm(r(2, 2, 2), { ord: 2 }), 'ShapeError', 'linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.'],
    ['cond empty', () => L.cond(torch.zeros([0, 0])), 'ValueError', 'linalg.cond: the condition number of an empty matrix is not defined'],
    ['cond p', () => L.cond(r(2, 2), 3), 'ValueError', 'linalg.cond got an invalid norm type: 3'],
    ['matrixRank 1-D', () => L.matrixRank(r(3)), 'ShapeError', 'torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.'],
    ['matrixRank atol', () => L.matrixRank(r(2, 2), { atol: -1 }), 'ValueError', 'torch.linalg.matrix_rank: atol must be a non-negative number, got -1'],
  ]);
});

test('autograd entry points and creation: backward, requiresGrad_, noGrad, zeros', () => {
  rejects([
    ['backward non-tensor', () => T.autograd.backward(null), 'AutogradError', 'backward(): expected a Tensor, got null'],
    ['backward gradient', () => r(2).requiresGrad_().sum().backward('a' as never), 'AutogradError', 'backward(): gradient must be a Tensor (or null), got string'],
    ['backward no grad', () => r(2).sum().backward(), 'AutogradError', 'backward(): element 0 of tensors does not require grad and does not have a grad_fn'],
    ['requiresGrad_ non-leaf', () => r(2).requiresGrad_().mul(2).requiresGrad_(false), 'AutogradError', "requiresGrad_(): you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."],
    ['noGrad non-function', () => T.noGrad(3), 'ValueError', 'noGrad(): expected a function, got number'],
    ['zeros size object', () => T.zeros({ a: 1 }), 'ValueError', "zeros(): unknown option 'a'; known: dtype, requiresGrad, device"],
  ]);
});

test('torch.linalg solvers: solveTriangular, solve, lstsq, luFactor, luSolve, solveEx', () => {
  rejects([
    ['solveTriangular upper', () => L.solveTriangular(r(2, 2), r(2, 1), { upper: 1 }), 'ValueError', "linalg.solve_triangular: missing required option 'upper' (a boolean)"],
    ['solve B 0-d', () => L.solve(r(2, 2), torch.tensor(1)), 'ShapeError', 'linalg.solve: The input tensor B must have at least 1 dimensions, got []'],
    ['solve left=false 1-D B', () => L.solve(r(2, 2), r(2), { left: false }), 'ShapeError', 'linalg.solve: with left=false, B must be a batch of matrices [..., k, 2], got [2]'],
    ['lstsq dtypes', () => L.lstsq(r(3, 2), f64(3, 1)), 'DTypeError', "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype float32 and other's dtype float64"],
    ['lstsq driver', () => L.lstsq(r(3, 2), r(3, 1), { driver: 'qr' }), 'ValueError', 'torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss), got qr'],
    ['lstsq rcond', () => L.lstsq(r(3, 2), r(3, 1), { rcond: 'a' }), 'ValueError', 'torch.linalg.lstsq: rcond must be a number, got a'],
    ['luFactor 1-D', () => L.luFactor(r(3)), 'ShapeError', 'linalg.lu_factor: Expected tensor with 2 or more dimensions. Got size: [3] instead'],
    ['luSolve pivots dtype', () => L.luSolve(r(2, 2), r(2), r(2, 1)), 'DTypeError', 'linalg.lu_solve: pivots must be an int32 tensor, got float32'],
    ['luSolve pivots shape', () => L.luSolve(r(2, 2), i32([1, 2, 3]), r(2, 1)), 'ShapeError', 'linalg.lu_solve: pivots of shape [3] do not match LU of shape [2, 2] (expected [..., 2])'],
    ['luSolve dtypes', () => L.luSolve(r(2, 2), i32([1, 2]), f64(2, 1)), 'DTypeError', 'linalg.lu_solve: Expected LU and B to have the same dtype, but got float32 and float64'],
    ['solveEx B 0-d', () => L.solveEx(r(2, 2), torch.tensor(1)), 'ShapeError', 'linalg.solve_ex: The input tensor B must have at least 1 dimensions, got []'],
  ]);
});

test('nn.functional: glu, conv3d, convTranspose3d, featureAlphaDropout, rrelu, gumbelSoftmax, fractional max pooling', () => {
  rejects([
    ['glu scalar', () => F.glu(torch.tensor(1)), 'ShapeError', 'glu(): glu does not support scalars because halving size must be even'],
    ['conv3d stride', () => F.conv3d(r(1, 1, 2, 2, 2), r(1, 1, 1, 1, 1), null, { stride: 0 }), 'ValueError', "conv3d(): expected 'stride' to be an integer >= 1 or a tuple of 3 of them, got 0"],
    ['conv3d 3-D input', () => F.conv3d(r(1, 2, 2), r(1, 1, 1, 1, 1)), 'ShapeError', 'conv3d(): Expected 4D (unbatched) or 5D (batched) input, but got input of size: [1, 2, 2]'],
    ['conv3d weight 4-D', () => F.conv3d(r(1, 1, 2, 2, 2), r(1, 1, 1, 1)), 'ShapeError', 'conv3d(): weight must be 5-D [out, in/groups, kD, kH, kW], got [1, 1, 1, 1]'],
    ['conv3d depth', () => F.conv3d(r(1, 1, 1, 2, 2), r(1, 1, 2, 1, 1)), 'ShapeError', 'conv3d(): Calculated output depth 0 is too small (input [1, 1, 1, 2, 2], kernel depth 2, padding 0, dilation 1)'],
    ['convTranspose3d weight', () => F.convTranspose3d(r(1, 1, 2, 2, 2), r(1, 1, 1, 1)), 'ShapeError', 'convTranspose3d(): expected weight to be 5-D [in_channels, out_channels/groups, kD, kH, kW], got weight of size [1, 1, 1, 1]'],
    ['convTranspose3d bias', () => F.convTranspose3d(r(1, 1, 2, 2, 2), r(1, 1, 1, 1, 1), r(2)), 'ShapeError', 'convTranspose3d(): Given weight of size [1, 1, 1, 1, 1], expected bias to be 1-dimensional with 1 elements, but got bias of size [2] instead'],
    ['featureAlphaDropout 1-D', () => F.featureAlphaDropout(r(3), 0.5, true), 'ShapeError', 'featureAlphaDropout(): Feature dropout requires at least 2 dimensions in the input, got [3]'],
    ['rrelu bounds', () => F.rrelu(x23, { lower: 0.5, upper: 0.1 }), 'ValueError', 'rrelu(): Lower bound should be less than or equal to the upper bound (got lower=0.5, upper=0.1)'],
    ['gumbelSoftmax tau', () => F.gumbelSoftmax(x23, { tau: 0 }), 'ValueError', 'gumbelSoftmax(): tau must be positive, got 0'],
    ['fractionalMaxPool2d ratio', () => F.fractionalMaxPool2d(r(1, 1, 4, 4), 2, { outputRatio: [1.5, 0.5] }), 'ValueError', 'fractionalMaxPool2d(): outputRatio must be 2 numbers in (0, 1), got [1.5,0.5]'],
    ['fractionalMaxPool2d neither', () => F.fractionalMaxPool2d(r(1, 1, 4, 4), 2), 'ValueError', 'fractionalMaxPool2d(): fractional_max_pool2d requires specifying either an output_size or an output_ratio'],
    ['fractionalMaxPool2d too large', () => F.fractionalMaxPool2d(r(1, 1, 4, 4), 3, { outputSize: 3 }), 'ShapeError', 'fractionalMaxPool2d(): pool size 3 too large relative to input size 4 of spatial dim 0 (output size 3, input [1, 1, 4, 4])'],
    ['fractionalMaxPool2d samples', () => F.fractionalMaxPool2d(r(1, 1, 4, 4), 2, { outputSize: 2, randomSamples: r(1, 1, 3) }), 'ShapeError', 'fractionalMaxPool2d(): randomSamples must be [1, 1, 2] for input [1, 1, 4, 4], got [1, 1, 3]'],
  ]);
});

test('slices, gather, scatter, indexSelect, the generator state and disposed tensors', () => {
  rejects([
    ['slice step', () => torch.index(x23, torch.slice(0, 2, 0)), 'ValueError', 'slice(): step must be greater than zero, got 0'],
    ['gather float index', () => torch.gather(x23, 1, r(2, 1)), 'DTypeError', "gather(): expected index to have dtype int32, got float32; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['scatter src dtype', () => torch.scatter(x23, 1, i32([0]).reshape(1, 1), f64(1, 1)), 'DTypeError', 'scatter(): Expected self.dtype to be equal to src.dtype'],
    ['scatterAdd src dtype', () => torch.scatterAdd(x23, 1, i32([0]).reshape(1, 1), f64(1, 1)), 'DTypeError', 'scatter(): Expected self.dtype to be equal to src.dtype'],
    ['indexSelect 2-D index', () => torch.indexSelect(x23, 1, torch.zeros([1, 1], { dtype: 'int32' })), 'IndexError', 'indexSelect(): index must be 1-D, got shape [1, 1]'],
    ['manualSeed', () => torch.manualSeed(0.5), 'ValueError', 'manualSeed(): seed must be an integer between -(2**53 - 1) and 2**53 - 1, got 0.5'],
    ['setRngState', () => torch.setRngState({} as never), 'ValueError', 'setRngState(): expected a state returned by getRngState()'],
    ['disposed', () => { const t = r(2); t.dispose(); return t.add(1); }, 'TorchfnError', 'this tensor was disposed (dispose() or a `using` block released its memory); it can no longer be used'],
  ]);
});

test('messages name what was given: a non-tensor, an unknown loss option, an out-of-range dim, an int32 overflow, a cotangent shape', () => {
  rejects([
    ['zerosLike number', () => torch.zerosLike(3 as never), 'DTypeError', "zerosLike(): argument 'input' must be a Tensor, got number"],
    ['multilabelMarginLoss option', () => F.multilabelMarginLoss(x23, torch.zeros([2, 3], { dtype: 'int32' }), { reduce: 'sum' }), 'ValueError', "multilabelMarginLoss(): unknown option 'reduce'; known: reduction"],
    ['softMarginLoss option', () => F.softMarginLoss(x23, x23, { reduce: 'sum' }), 'ValueError', "softMarginLoss(): unknown option 'reduce'; known: reduction"],
    ['diagEmbed dim2 range', () => torch.diagEmbed(r(3), 0, 0, 5), 'IndexError', "diagEmbed(): Dimension out of range (expected 'dim2' to be in range of [-2, 1], but got 5)"],
    ['tensor int32 overflow element', () => torch.tensor([1, 3e9], { dtype: 'int32' }), 'ValueError', "tensor(): value 3000000000 (element 1) cannot be converted to type int32 without overflow (use dtype 'float64' for large integers)"],
    ['vjp cotangent of fewer dims', () => { const [, fn] = torch.func.vjp((a: torch.Tensor) => a.reshape(3, 1), r(3)); return fn(r(3)); }, 'ValueError', 'vjp(f, *primals): Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [3, 1].'],
    ['vjp cotangent shape', () => { const [, fn] = torch.func.vjp((a: torch.Tensor) => a.mul(2), r(3)); return fn(r(2)); }, 'ValueError', 'vjp(f, *primals): Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a shape of [3].'],
  ]);
});

test('nn.functional.ctcLoss: targets, lengths and blank', () => {
  const lp = r(5, 2, 4).logSoftmax(-1); // T = 5, N = 2, C = 4
  const tg = torch.tensor([[1, 2], [3, 1]], { dtype: 'int32' });
  rejects([
    ['ctc targets dtype', () => F.ctcLoss(lp, r(2, 2), [5, 5], [2, 2]), 'DTypeError', "ctcLoss(): expected 'targets' to have dtype int32, got float32; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['ctc logProbs ndim', () => F.ctcLoss(r(5), tg, [5, 5], [2, 2]), 'ShapeError', 'ctcLoss(): expected logProbs of shape [T, N, C] or [T, C], got [5]'],
    ['ctc blank', () => F.ctcLoss(lp, tg, [5, 5], [2, 2], { blank: 4 }), 'ValueError', 'ctcLoss(): blank must be in label range (got blank=4 for 4 classes)'],
    ['ctc lengths values', () => F.ctcLoss(lp, tg, [5, -1], [2, 2]), 'ValueError', "ctcLoss(): 'input_lengths' must be non-negative integers or an int32 tensor, got [5,-1]"],
    ['ctc lengths float tensor', () => F.ctcLoss(lp, tg, r(2), [2, 2]), 'DTypeError', "ctcLoss(): expected 'input_lengths' to have dtype int32, got float32; make integer indices with torch.tensor([...], { dtype: 'int32' }) or an Int32Array"],
    ['ctc lengths size', () => F.ctcLoss(lp, tg, i32([5, 5, 5]), [2, 2]), 'ShapeError', 'ctcLoss(): input_lengths must be of size batch_size (2), got [3]'],
    ['ctc input length', () => F.ctcLoss(lp, tg, [6, 5], [2, 2]), 'ValueError', 'ctcLoss(): Expected input_lengths to have value at most 5, but got value 6'],
    ['ctc concatenated too short', () => F.ctcLoss(lp, i32([1, 2, 3]), [5, 5], [2, 2]), 'ShapeError', 'ctcLoss(): the target lengths add up to 4, more than the 3 concatenated targets'],
    ['ctc targets ndim', () => F.ctcLoss(lp, torch.zeros([2, 2, 1], { dtype: 'int32' }), [5, 5], [2, 2]), 'ShapeError', 'ctcLoss(): expected targets of shape [N, S] or [sum(target_lengths)], got [2, 2, 1]'],
    ['ctc targets batch', () => F.ctcLoss(lp, torch.zeros([3, 2], { dtype: 'int32' }), [5, 5], [2, 2]), 'ShapeError', 'ctcLoss(): targets [3, 2] must have batch size 2 (logProbs [5, 2, 4])'],
    ['ctc target length', () => F.ctcLoss(lp, tg, [5, 5], [3, 2]), 'ShapeError', "ctcLoss(): Expected tensor to have size at least 3 at dimension 1, but got size 2 for argument #2 'targets'"],
  ]);
});

test('nn.functional.multiHeadAttentionForward: shapes, heads, projections, biases and masks', () => {
  // E = 4, numHeads = 2, L = 3 queries, S = 5 keys, N = 2
  const q = r(3, 2, 4), kv = r(5, 2, 4), W = r(12, 4), b = r(12), Wo = r(4, 4);
  type Args = Partial<{ q: unknown; k: unknown; v: unknown; E: number; H: number; W: unknown; bk: unknown; bv: unknown }>;
  const mha = (opts: Record<string, unknown> = {}, a: Args = {}) =>
    F.multiHeadAttentionForward(a.q ?? q, a.k ?? kv, a.v ?? kv, a.E ?? 4, a.H ?? 2, 'W' in a ? a.W : W, b, a.bk ?? null, a.bv ?? null, false, 0, Wo, null, opts);
  rejects([
    ['mha query 4-D', () => mha({}, { q: r(1, 3, 2, 4) }), 'ShapeError', 'multiHeadAttentionForward(): query should be unbatched 2D or batched 3D tensor but received 4-D query tensor'],
    ['mha dims', () => mha({}, { k: r(5, 4) }), 'ShapeError', 'multiHeadAttentionForward(): query, key and value must have the same number of dims, got [3, 2, 4], [5, 4], [5, 2, 4]'],
    ['mha heads', () => mha({}, { H: 3 }), 'ValueError', 'multiHeadAttentionForward(): embed_dim 4 not divisible by num_heads 3'],
    ['mha embed', () => mha({}, { E: 8, H: 2 }), 'ShapeError', 'multiHeadAttentionForward(): was expecting embedding dimension of 8, but got 4 (query [3, 2, 4])'],
    ['mha key length', () => mha({}, { v: r(4, 2, 4) }), 'ShapeError', 'multiHeadAttentionForward(): key [5, 2, 4] and value [4, 2, 4] must share their sequence length and batch size with query [3, 2, 4]'],
    ['mha key batch', () => mha({}, { k: r(5, 3, 4) }), 'ShapeError', 'multiHeadAttentionForward(): key [5, 3, 4] and value [5, 2, 4] must share their sequence length and batch size with query [3, 2, 4]'],
    ['mha value batch', () => mha({}, { v: r(5, 3, 4) }), 'ShapeError', 'multiHeadAttentionForward(): key [5, 2, 4] and value [5, 3, 4] must share their sequence length and batch size with query [3, 2, 4]'],
    ['mha separate weights', () => mha({ useSeparateProjWeight: true }), 'ValueError', 'multiHeadAttentionForward(): useSeparateProjWeight is true but qProjWeight, kProjWeight or vProjWeight is missing'],
    ['mha no inProjWeight', () => mha({}, { W: null }), 'ValueError', 'multiHeadAttentionForward(): useSeparateProjWeight is false but inProjWeight is null'],
    ['mha bias with static', () => mha({ staticK: r(4, 5, 2) }, { bk: r(1, 1, 4), bv: r(1, 1, 4) }), 'ValueError', 'multiHeadAttentionForward(): bias cannot be added to static key or value'],
    ['mha one bias', () => mha({}, { bk: r(1, 1, 4) }), 'ValueError', 'multiHeadAttentionForward(): bias_k and bias_v must both be given or both be null'],
    ['mha attnMask shape', () => mha({ attnMask: torch.zeros([3, 4]) }), 'ShapeError', 'multiHeadAttentionForward(): The shape of the attn_mask is [3, 4], but should be [3, 5] or [4, 3, 5].'],
    ['mha attnMask dtype', () => mha({ attnMask: torch.zeros([3, 5], { dtype: 'int32' }) }), 'DTypeError', "multiHeadAttentionForward(): attnMask must be a bool tensor or have the query's dtype float32, got int32"],
    ['mha keyPaddingMask', () => mha({ keyPaddingMask: torch.zeros([2, 4], { dtype: 'bool' }) }), 'ShapeError', 'multiHeadAttentionForward(): expected key_padding_mask of shape [2, 5], got [2, 4]'],
  ]);
});

test('the remaining checks of ops/ and nn.functional: autograd.grad, tensor(), creation sizes, clamp, indices, linalg options, window sizes, losses, attention, one-hot', () => {
  const leaf = r(2).requiresGrad_();
  const img = r(1, 1, 4, 4);
  let deep: unknown = 1;
  for (let i = 0; i < 70; i++) deep = [deep];
  rejects([
    ['grad outputs number', () => torch.autograd.grad([3] as never, [leaf]), 'AutogradError', 'autograd.grad(): outputs[0] must be a Tensor, got number'],
    ['grad inputs array', () => torch.autograd.grad(leaf.sum(), [[leaf]] as never), 'AutogradError', 'autograd.grad(): inputs[0] must be a Tensor, got an array'],
    ['grad inputs null', () => torch.autograd.grad(leaf.sum(), [null] as never), 'AutogradError', 'autograd.grad(): inputs[0] must be a Tensor, got null'],
    ['grad input without grad', () => torch.autograd.grad(leaf.sum(), [leaf, r(2)]), 'AutogradError', 'autograd.grad(): input 1 does not require grad'],
    ['requiresGrad_ inside grad', () => torch.func.grad((a: torch.Tensor) => a.requiresGrad_().sum())(r(2)), 'AutogradError',
      'requiresGrad_(): You are calling requiresGrad_() inside a torch.func transform; this is not supported. Pass the tensor as an input of the transform instead.'],
    ['Function.apply on the base', () => torch.autograd.Function.apply(r(2)), 'ValueError', 'autograd.Function.apply: call apply on a subclass that defines forward and backward'],
    ['tensor too deep', () => torch.tensor(deep as never), 'ValueError', 'tensor(): nested arrays deeper than 64 levels (or an array that contains itself)'],
    ['tensor ragged', () => torch.tensor([[1, 2], [3]]), 'ShapeError', 'tensor(): expected sequence of length 2 at dim 1 at [1] (got 1)'],
    ['tensor ragged scalar', () => torch.tensor([[1, 2], 3] as never), 'ShapeError', 'tensor(): expected sequence of length 2 at dim 1 at [1] (got number)'],
    ['tensor BigInt64Array', () => torch.tensor(new BigInt64Array(2) as never), 'DTypeError', 'tensor(): BigInt64Array is not supported; convert to an Int32Array or a Float64Array'],
    ['tensor shape option', () => torch.tensor(new Float32Array(6), { shape: [4, 2] }), 'ShapeError', 'tensor(): shape [4,2] does not hold 6 values'],
    ['zeros size string', () => T.zeros('3'), 'ValueError', 'zeros(): expected a size as numbers or one array of numbers, got (string)'],
    ['clamp min string', () => torch.clamp(x23, { min: 'a' as never }), 'DTypeError', 'clamp(): min must be a number or a Tensor, got string'],
    ['clamp max string', () => torch.clamp(x23, 0, 'a' as never), 'DTypeError', 'clamp(): max must be a number or a Tensor, got string'],
    ['index by a string', () => x23.index(undefined as never), 'IndexError', "index(): only integers, slices, null, '...', int32 or bool tensors and lists of integers are valid indices, got undefined"],
    ['qr mode', () => L.qr(r(2, 2), { mode: 'full' }), 'ValueError', "linalg.qr: qr received unrecognized mode 'full' but expected one of 'reduced' (default), 'r', or 'complete'"],
    ['cross lengths', () => L.cross(r(2, 4), r(2, 4)), 'ShapeError', 'linalg.cross: inputs dimension -1 must have length 3. Got 4 and 4'],
    ['lu pivot option', () => L.lu(r(2, 2), { pivot: 1 }), 'ValueError', 'linalg.lu: pivot must be a boolean, got number 1'],
    ['conv bias dtype', () => F.conv2d(img, r(1, 1, 3, 3), f64(1)), 'DTypeError', "conv2d(): expected 'bias' to have dtype float32 (the dtype of input), got float64"],
    ['conv2d stride', () => F.conv2d(img, r(1, 1, 3, 3), null, { stride: [1, 0] }), 'ValueError', "conv2d(): expected 'stride' to be an int or a pair of positive integers, got [1,0]"],
    ['conv1d stride', () => F.conv1d(r(1, 1, 5), r(1, 1, 3), null, { stride: 0 }), 'ValueError', "conv1d(): expected 'stride' to be a positive integer (or a 1-tuple), got 0"],
    ['maxPool2d 2-D input', () => F.maxPool2d(r(4, 4), 2), 'ShapeError', 'maxPool2d(): Expected 3D or 4D (batch mode) tensor with non-zero channel and spatial dims for input, but got: [4, 4]'],
    ['maxPool3d 3-D input', () => F.maxPool3d(r(4, 4, 4), 2), 'ShapeError', 'maxPool3d(): Expected 4D or 5D (batch mode) tensor with optional 0 dim batch size for input, but got: [4, 4, 4]'],
    ['avgPool2d padding', () => F.avgPool2d(img, 2, { padding: -1 }), 'ValueError', "avgPool2d(): expected 'padding' to be an int or a pair of non-negative integers, got -1"],
    ['maxPool2d too small', () => F.maxPool2d(r(1, 1, 2, 2), 3), 'ShapeError', 'maxPool2d(): Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small'],
    ['convTranspose2d too small', () => F.convTranspose2d(r(1, 1, 1, 1), r(1, 1, 1, 1), null, { padding: 1 }), 'ShapeError',
      'convTranspose2d(): Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). Output size is too small'],
    ['convTranspose1d 4-D', () => F.convTranspose1d(img, r(1, 1, 3)), 'ShapeError', 'convTranspose1d(): Expected 2D (unbatched) or 3D (batched) input to convTranspose1d, but got input of size: [1, 1, 4, 4]'],
    ['convTranspose3d too small', () => F.convTranspose3d(r(1, 1, 1, 1, 1), r(1, 1, 1, 1, 1), null, { padding: 1 }), 'ShapeError',
      'convTranspose3d(): Given input size per channel: (1 x 1 x 1). Calculated output size per channel: (-1 x -1 x -1). Output size is too small'],
    ['convTranspose3d too small in H and W', () => F.convTranspose3d(r(1, 1, 3, 1, 1), r(1, 1, 1, 1, 1), null, { padding: [0, 1, 1] }), 'ShapeError',
      'convTranspose3d(): Given input size per channel: (3 x 1 x 1). Calculated output size per channel: (3 x -1 x -1). Output size is too small'],
    ['convTranspose3d too small in depth', () => F.convTranspose3d(r(1, 1, 1, 3, 3), r(1, 1, 1, 1, 1), null, { padding: [1, 0, 0] }), 'ShapeError',
      'convTranspose3d(): Given input size per channel: (1 x 3 x 3). Calculated output size per channel: (-1 x 3 x 3). Output size is too small'],
    ['dropout2d 5-D', () => F.dropout2d(r(1, 1, 2, 2, 2)), 'ShapeError',
      'dropout2d(): Expected 3D or 4D input, but received a 5D input ([1, 1, 2, 2, 2]). Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension.'],
    ['unfold blocks', () => F.unfold(img, 5), 'ShapeError',
      'unfold(): Given input with spatial size (4, 4), kernel_size=(5, 5), dilation=(1, 1), padding=(0, 0), calculated shape of the array of sliding blocks as (0, 0), but its components must be at least one.'],
    ['interpolate mode', () => F.interpolate(r(1, 1, 4), { size: 8, mode: 'cubic' }), 'ValueError', "interpolate(): unsupported mode 'cubic' (nearest, linear, bilinear)"],
    ['interpolate size entries', () => F.interpolate(img, { size: [8] }), 'ValueError', 'interpolate(): size must have 2 entries for a 4-D input, got 1'],
    ['loss weight broadcast', () => F.binaryCrossEntropy(torch.full([2, 3], 0.5), torch.full([2, 3], 0.5), { weight: r(4) }), 'ShapeError',
      'binaryCrossEntropy(): shapes [4] and [2, 3] cannot be broadcast together (the size of dimension -1 is 4 in one and 3 in another)'],
    ['crossEntropy batch', () => F.crossEntropy(x23, i32([0, 1, 2])), 'ShapeError', 'crossEntropy(): Expected input batch_size (2) to match target batch_size (3).'],
    ['nllLoss target size', () => F.nllLoss(r(2, 3, 4), torch.zeros([2, 5], { dtype: 'int32' })), 'ShapeError', 'nllLoss(): Expected target size [2, 4], got [2, 5] (input [2, 3, 4])'],
    ['instanceNorm runningMean', () => F.instanceNorm(r(2, 3, 4), { runningMean: r(2), runningVar: r(2) }), 'ShapeError', 'instanceNorm(): runningMean must have 3 entries, got [2]'],
    ['rand int32', () => torch.rand([2], { dtype: 'int32' }), 'DTypeError', "rand(): expected a floating point dtype ('float32' or 'float64'), got int32"],
    ['randn bool', () => torch.randn(2, { dtype: 'bool' }), 'DTypeError', "randn(): expected a floating point dtype ('float32' or 'float64'), got bool"],
    ['randLike of int32', () => torch.randLike(i32([1, 2])), 'DTypeError', "rand(): expected a floating point dtype ('float32' or 'float64'), got int32"],
    ['svd fullMatrices', () => L.svd(r(2, 2), { fullMatrices: 1 }), 'ValueError', 'linalg.svd: fullMatrices must be a boolean, got number 1'],
    ['backward gradient number', () => r(2).requiresGrad_().mul(2).backward(3 as never), 'AutogradError', 'backward(): gradient must be a Tensor (or null), got number'],
    ['maskedFill input', () => torch.maskedFill(3 as never, torch.ones([2]).gt(0), 1), 'DTypeError', "maskedFill(): argument 'input' must be a Tensor, got number"],
    ['maskedFill mask', () => torch.maskedFill(r(2), 3 as never, 1), 'DTypeError', "maskedFill(): argument 'mask' must be a Tensor, got number"],
    ['luFactorEx checkErrors', () => L.luFactorEx(torch.zeros([2, 2]), { checkErrors: true }), 'LinAlgError', 'linalg.lu_factor_ex: U[1,1] is zero: the matrix is singular'],
    ['attention staticK', () => F.multiHeadAttentionForward(r(3, 2, 4), r(3, 2, 4), r(3, 2, 4), 4, 2, r(12, 4), r(12), null, null, false, 0, r(4, 4), r(4), { staticK: r(3, 3, 2) }),
      'ShapeError', 'multiHeadAttentionForward(): expecting staticK of shape [4, S, 2], but got [3, 3, 2]'],
    ['convTranspose3d output padding', () => F.convTranspose3d(r(1, 1, 2, 2, 2), r(1, 1, 1, 1, 1), null, { outputPadding: [1, 0, 0] }), 'ValueError',
      'convTranspose3d(): output padding must be smaller than either stride or dilation, but got output_padding_depth: 1 stride_depth: 1 dilation_depth: 1'],
    ['randint size', () => torch.randint(0, 5, 'x' as never), 'ValueError', 'randint(): size must be an array of non-negative integers, got string'],
    ['diagonal dim1', () => torch.diagonal(x23, 0, 5), 'IndexError', "diagonal(): Dimension out of range (expected 'dim1' to be in range of [-2, 1], but got 5)"],
    ['grad of null', () => torch.func.grad((a: torch.Tensor) => a)(null as never), 'ValueError', 'grad_and_value(f)(*args): Thing passed to transform API must be Tensor, got null'],
    ['prelu weight', () => F.prelu(x23, i32([1])), 'DTypeError', "prelu(): expected 'weight' to be a floating point tensor, got int32 of shape [1]"],
    ['lstsq vector', () => L.lstsq(r(3), r(3)), 'ShapeError', 'torch.linalg.lstsq: input must have at least 2 dimensions.'],
    ['solveTriangular right shapes', () => L.solveTriangular(r(3, 3), r(2, 2), { upper: true, left: false }), 'ShapeError',
      'linalg.solve_triangular: Incompatible shapes of A and B for the equation XA = B (2x2 and 3x3)'],
    ['luSolve shapes', () => { const { LU, pivots } = L.luFactor(r(3, 3).add(torch.eye(3).mul(5))); return L.luSolve(LU, pivots, r(2, 2)); }, 'ShapeError',
      'linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2)'],
    ['luSolve right shapes', () => { const { LU, pivots } = L.luFactor(r(3, 3).add(torch.eye(3).mul(5))); return L.luSolve(LU, pivots, r(2, 2), { left: false }); }, 'ShapeError',
      'linalg.lu_solve: Incompatible shapes of A and B for the equation XA = B (3x3 and 2x2)'],
    ['maxPool3d too small', () => F.maxPool3d(r(1, 1, 2, 2, 2), 3), 'ShapeError', 'maxPool3d(): Given input size: (1x2x2x2). Calculated output size: (1x0x0x0). Output size is too small'],
    ['avgPool3d divisor 0', () => F.avgPool3d(r(1, 1, 2, 2, 2), 2, { divisorOverride: 0 }), 'ValueError', 'avgPool3d(): divisor must be not zero, got divisorOverride=0'],
    ['permute dim', () => torch.permute(x23, [0, 5]), 'IndexError', "permute(): Dimension out of range (expected 'dim' to be in range of [-2, 1], but got 5)"],
    ['avgPool1d 4-D', () => F.avgPool1d(r(1, 1, 1, 4), 2), 'ShapeError', 'avgPool1d(): expected a 2-D [C, L] or 3-D [N, C, L] input, got [1, 1, 1, 4]'],
    ['tensor dtype', () => torch.tensor(new Float32Array(2), { dtype: 'x' as never }), 'DTypeError', "tensor(): argument 'dtype' must be one of 'float32', 'float64', 'int32', 'bool', got x"],
    ['linalg.diagonal option', () => L.diagonal(r(2, 2), { offst: 1 }), 'ValueError', "linalg.diagonal: unknown option 'offst' (did you mean 'offset'?); known: offset, dim1, dim2"],
    ['norm matrix ord', () => L.norm(r(2, 2), 'nuc2', [0, 1]), 'ValueError', 'linalg.matrix_norm: Order nuc2 not supported.'],
    ['grad gradOutputs number', () => { const a = r(2).requiresGrad_(); return torch.autograd.grad(a.mul(2), [a], { gradOutputs: 3 as never }); }, 'AutogradError',
      'autograd.grad(): gradient 0 must be a Tensor (or null), got number'],
    ['maxUnpool2d kernelSize', () => F.maxUnpool2d(r(1, 1, 2, 2), torch.zeros([1, 1, 2, 2], { dtype: 'int32' }), 0), 'ValueError',
      "maxUnpool2d(): expected 'kernelSize' to be a positive integer or a tuple of 2 positive integers, got 0"],
    ['crossEntropy int input', () => F.crossEntropy(i32([1, 2]), i32([0])), 'DTypeError', "crossEntropy(): expected 'input' to be a floating point tensor, got int32 of shape [2]"],
    ['matrixRank input', () => L.matrixRank(3 as never), 'DTypeError', "torch.linalg.matrix_rank(): argument 'input' must be a Tensor, got number"],
    ['convTranspose2d 2-D', () => F.convTranspose2d(r(4, 4), r(1, 1, 3, 3)), 'ShapeError', 'convTranspose2d(): Expected 3D (unbatched) or 4D (batched) input to convTranspose2d, but got input of size: [4, 4]'],
    ['dropout3d 2-D', () => F.dropout3d(r(2, 2), 0.5, true), 'ShapeError',
      'dropout3d(): Expected 4D or 5D input, but received a 2D input ([2, 2]). Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension.'],
    ['unbind number', () => torch.unbind(3 as never), 'DTypeError', "unbind(): argument 'input' must be a Tensor, got number"],
    ['squeeze dim', () => torch.squeeze(r(2, 1), 5), 'IndexError', "squeeze(): Dimension out of range (expected 'dim' to be in range of [-2, 1], but got 5)"],
    ['ctcLoss input lengths', () => F.ctcLoss(r(5, 2, 4).logSoftmax(-1), torch.ones([2, 2], { dtype: 'int32' }), [5, 5, 5], [2, 2]), 'ShapeError', 'ctcLoss(): input_lengths must be of size batch_size (2), got [3]'],
    ['maxPool3d kernelSize pair', () => F.maxPool3d(r(1, 1, 2, 2, 2), [2, 2]), 'ValueError', "maxPool3d(): expected 'kernelSize' to be a positive integer or a tuple of 3 positive integers, got [2,2]"],
    ['oneHot number', () => F.oneHot(3 as never), 'DTypeError', "oneHot(): argument 'tensor' must be a Tensor, got number"],
    ['indexSelect number', () => torch.indexSelect(3 as never, 0, i32([0])), 'DTypeError', "indexSelect(): argument 'input' must be a Tensor, got number"],
    ['scatterAdd src number', () => torch.scatterAdd(r(2), 0, i32([0]), 3 as never), 'DTypeError', "scatterAdd(): argument 'src' must be a Tensor, got number"],
    ['topk negative k', () => torch.topk(r(3), -1), 'ValueError', 'topk(): selected index k=-1 is out of range for dimension 0 of size 3'],
    ['klDiv reduction', () => F.klDiv(r(2), r(2), { reduction: 'bad' as never }), 'ValueError', "klDiv(): bad is not a valid value for reduction (expected one of 'mean', 'sum', 'none', 'batchmean')"],
    ['norm fro of a vector', () => L.norm(r(3), 'fro'), 'ShapeError', 'linalg.matrix_norm: The input tensor A must have at least 2 dimensions.'],
    ['oneHot -1 under vmap', () => torch.func.vmap((t: torch.Tensor) => F.oneHot(t))(torch.zeros([2, 2], { dtype: 'int32' })), 'TransformError',
      'oneHot(): numClasses = -1 reads the values (max + 1), which vmap cannot; pass numClasses'],
  ]);
});
