import fs from 'node:fs';
import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

/** Vite keeps whitespace in ES library builds; this one is loaded as-is by browsers, so minify it too. */
function minifyEsBuild(): Plugin {
  return {
    name: 'voxdesk-minify-es',
    apply: 'build',
    renderChunk: {
      order: 'post',
      async handler(code, _chunk, options) {
        if (options.format !== 'es') {
          return null;
        }
        const result = await transform(code, { minify: true, format: 'esm', target: 'es2022', sourcemap: true, legalComments: 'eof' });
        return { code: result.code, map: result.map };
      },
    },
  };
}

/**
 * The demo page signs in with oidc-client-ts (authorization code with PKCE); its own browser build is served next to
 * the library, at /webphone/vendor/, so the demo needs no bundler of its own. The library itself has no OIDC code:
 * a host feeds it tokens through configure({ getToken }).
 */
function copyOidcClient(): Plugin {
  return {
    name: 'voxdesk-copy-oidc-client',
    apply: 'build',
    writeBundle(options) {
      const dir = `${options.dir ?? 'dist'}/vendor`;
      fs.mkdirSync(dir, { recursive: true });
      for (const file of ['oidc-client-ts.min.js', 'oidc-client-ts.min.js.map']) {
        fs.copyFileSync(`node_modules/oidc-client-ts/dist/browser/${file}`, `${dir}/${file}`);
      }
    },
  };
}

export default defineConfig({
  define: {
    // Library mode leaves process.env alone; some bundled dependencies read NODE_ENV.
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  plugins: [minifyEsBuild(), copyOidcClient()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: 'esbuild',
    lib: {
      entry: 'src/index.ts',
      name: 'Voxdesk',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'voxdesk-webphone.js' : 'voxdesk-webphone.iife.js'),
    },
    rollupOptions: {
      output: { exports: 'named' },
    },
  },
});
