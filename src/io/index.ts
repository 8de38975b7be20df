// torchfn's weight files: safetensors, exported as `torch.safetensors`.
export { load, loadFile, loadMetadata, save, saveAsync, saveFile, saveFileAsync, SafetensorError, MAX_HEADER_SIZE } from './safetensors.js';
