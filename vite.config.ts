import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The renderer: served by `roost serve --web` and loaded by Electron from dist/renderer.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true
  }
})
