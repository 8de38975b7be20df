// The `nn.modules` namespace: PyTorch's torch.nn.modules.register_module_*_hook functions.
export {
  registerModuleForwardPreHook, registerModuleForwardHook, registerModuleFullBackwardPreHook, registerModuleFullBackwardHook,
} from './hooks.js';
