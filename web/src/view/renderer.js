// The WebGL renderer, with MSAA only where it is cheap.

import * as THREE from 'three';

/**
 * A WebGLRenderer. antialias: true | false | 'auto'; for 'auto', one
 * without MSAA if the context turns out to be software (only the arrows
 * need MSAA: points antialias in their shader and text is DOM, and on
 * SwiftShader 4x MSAA halves the frame rate at 20,000 points).
 */
export function createRenderer(antialias) {
  const options = { powerPreference: 'high-performance' };
  const renderer = new THREE.WebGLRenderer({ ...options, antialias: antialias !== false });
  if (antialias !== 'auto' || !isSoftwareRenderer(renderer.getContext())) return renderer;
  renderer.dispose();
  renderer.forceContextLoss(); // release it now: browsers cap live contexts
  return new THREE.WebGLRenderer({ ...options, antialias: false });
}

/** True for CPU rasterizers (SwiftShader, llvmpipe, WARP), judged by the renderer string. */
function isSoftwareRenderer(gl) {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  // Firefox hides the extension but puts the (sanitised) name in RENDERER.
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
}
