// The synchronised 3D view: every compared strategy in one WebGL canvas, side by side or overlaid, with one
// timeline (play/pause, scrub, speed), one orbit camera shared by all panels, and under each panel the heatmap
// of its last-step weights with a cursor on the current frame. Data: demo/viewer.py (one view.json a request).
import * as THREE from './three.min.js';

const PANEL_HEIGHT = 300; // px per row of panels
const COLUMNS = 3;
const OVERLAY_TINTS = [0x2f6fd6, 0xe07a1f, 0x3a9d3a, 0xb03aa8, 0xc93434, 0x2aa6a6]; // one per result, overlaid
const SPEEDS = [0.25, 0.5, 1, 2];

let renderer = null; // one WebGL context for the page, moved into each new view
let current = null; // the view being shown

const rgb = c => new THREE.Color(c[0], c[1], c[2]);

function el(tag, attrs = {}, text = '') {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  if (text) node.textContent = text;
  return node;
}

function getRenderer() {
  if (renderer) return renderer;
  const canvas = document.createElement('canvas');
  if (!(canvas.getContext('webgl2') || canvas.getContext('webgl'))) return null;
  renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  renderer.setScissorTest(true);
  return renderer;
}

// Bodies of one result: joint spheres (with a nose and a chest marker each) and bone cylinders as two instanced
// meshes, a pelvis trail per person and a ring around the mixed person's pelvis.
class Bodies {
  constructor(data, result, tint) {
    this.data = data;
    this.result = result;
    this.group = new THREE.Group();
    const people = data.people, joints = data.joints;
    this.spheres = new THREE.InstancedMesh(new THREE.SphereGeometry(1, 16, 12), new THREE.MeshLambertMaterial(),
                                           people * (joints + 2));
    this.bones = new THREE.InstancedMesh(new THREE.CylinderGeometry(1, 1, 1, 10), new THREE.MeshLambertMaterial(),
                                         people * (joints - 1));
    this.group.add(this.spheres, this.bones);
    this.colors = [0, 1].map(p => (tint === null ? rgb(data.colors[p]) : new THREE.Color(tint).offsetHSL(0, 0, p ? -0.15 : 0.05)));
    for (let p = 0; p < people; p++) {
      for (let b = 0; b < joints - 1; b++) this.bones.setColorAt(p * (joints - 1) + b, this.colors[p]);
      const path = [];
      for (let f = 0; f < data.frames; f++) {
        const k = ((f * people + p) * joints) * 3;
        path.push(result.joints[k] / 1000, 0.004, result.joints[k + 2] / 1000);
      }
      const trail = new THREE.BufferGeometry();
      trail.setAttribute('position', new THREE.Float32BufferAttribute(path, 3));
      this.group.add(new THREE.Line(trail, new THREE.LineBasicMaterial({ color: this.colors[p], transparent: true, opacity: 0.35 })));
    }
    const mixed = data.mixed.filter(Boolean).length === 1 ? data.mixed.indexOf(true) : -1;
    this.ring = null;
    if (mixed >= 0) {
      this.ring = new THREE.Mesh(new THREE.RingGeometry(0.42, 0.47, 48),
                                 new THREE.MeshBasicMaterial({ color: rgb(data.highlight), side: THREE.DoubleSide }));
      this.ring.rotation.x = -Math.PI / 2;
      this.ringPerson = mixed;
      this.group.add(this.ring);
    }
    this.glow = rgb(data.glow);
    this.matrix = new THREE.Matrix4();
    this.quat = new THREE.Quaternion();
    this.up = new THREE.Vector3(0, 1, 0);
  }

  point(f, p, j) {
    const k = ((f * this.data.people + p) * this.data.joints + j) * 3, a = this.result.joints;
    return new THREE.Vector3(a[k] / 1000, a[k + 1] / 1000, a[k + 2] / 1000);
  }

  setFrame(f) {
    const d = this.data, J = d.joints, one = new THREE.Vector3(1, 1, 1);
    for (let p = 0; p < d.people; p++) {
      for (let j = 0; j < J; j++) {
        const touching = this.result.touching[(f * d.people + p) * J + j] === '1';
        const r = d.joint_radii[j] * (touching ? 1.8 : 1);
        this.matrix.compose(this.point(f, p, j), this.quat.identity(), one.clone().multiplyScalar(r));
        this.spheres.setMatrixAt(p * (J + 2) + j, this.matrix);
        this.spheres.setColorAt(p * (J + 2) + j, touching ? this.glow : this.colors[p]);
        if (j === 0) continue;
        const a = this.point(f, p, d.parents[j]), b = this.point(f, p, j);
        const dir = b.clone().sub(a), len = dir.length();
        this.quat.setFromUnitVectors(this.up, len > 1e-6 ? dir.divideScalar(len) : this.up);
        const rb = d.bone_radii[j - 1];
        this.matrix.compose(a.add(b).multiplyScalar(0.5), this.quat, new THREE.Vector3(rb, len, rb));
        this.bones.setMatrixAt(p * (J - 1) + j - 1, this.matrix);
      }
      const n = (f * d.people + p) * 3;
      [this.result.nose, this.result.chest].forEach((marker, m) => {  // the front: nose, then chest
        this.matrix.compose(new THREE.Vector3(marker[n] / 1000, marker[n + 1] / 1000, marker[n + 2] / 1000),
                            this.quat.identity(), one.clone().multiplyScalar(d.nose_radius));
        this.spheres.setMatrixAt(p * (J + 2) + J + m, this.matrix);
        this.spheres.setColorAt(p * (J + 2) + J + m, this.colors[p].clone().multiplyScalar(0.55));
      });
    }
    if (this.ring) {
      const pelvis = this.point(f, this.ringPerson, 0);
      this.ring.position.set(pelvis.x, 0.006, pelvis.z);
    }
    for (const mesh of [this.spheres, this.bones]) {
      mesh.instanceMatrix.needsUpdate = true;
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
    }
  }
}

function stage(data) {
  const scene = new THREE.Scene();
  scene.background = rgb(data.background);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8a80, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.4);
  sun.position.set(-3.5, 8.5, 4);
  scene.add(sun);
  const grid = new THREE.GridHelper(12, 24, 0x9ea1a6, 0xc4c6ca);
  grid.position.y = 0.001;
  scene.add(grid);
  return scene;
}

// Heatmap of one result's last-step weights (joints x frames) for each mixed person, drawn once; a cursor
// element marks the current frame.
function heatmap(cell, data, result) {
  const people = data.heatmap_people; // as in the PNG heatmaps (demo/plots.people_shown)
  const J = data.joints, T = data.frames;
  const canvas = el('canvas', { class: 'mixer-heatmap', width: T, height: J * people.length });
  const ctx = canvas.getContext('2d'), image = ctx.createImageData(T, J * people.length);
  people.forEach((p, row) => {
    for (let j = 0; j < J; j++) {
      for (let f = 0; f < T; f++) {
        const w = result.weights[(f * data.people + p) * J + j] / 100;
        const c = data.cmap[Math.min(data.cmap.length - 1, Math.round(w * (data.cmap.length - 1)))];
        const y = row * J + (J - 1 - j); // joint 0 at the bottom of each person's band
        const k = (y * T + f) * 4;
        image.data.set([c[0] * 255, c[1] * 255, c[2] * 255, 255], k);
      }
    }
  });
  ctx.putImageData(image, 0, 0);
  const wrap = el('div', { class: 'mixer-heatmap-wrap' });
  const cursor = el('div', { class: 'mixer-cursor', 'data-frame': '0' });
  wrap.append(canvas, cursor);
  cell.append(wrap, el('div', { class: 'mixer-heatmap-note' },
    `weights at the last step, ${people.map(p => `person ${p + 1}`).join(' / ')} (joints x frames; 0 interaction, 1 individual)`));
  return cursor;
}

class View {
  constructor(box, data) {
    this.box = box;
    this.data = data;
    this.frame = 0;
    this.time = 0;
    this.playing = true;
    this.speed = 1;
    this.overlay = false;
    this.azimuth = 0.6;
    this.elevation = 0.32;
  }

  build() {
    const d = this.data, n = d.results.length;
    this.box.innerHTML = '';
    const r = getRenderer();
    if (!r) {
      this.box.dataset.state = 'no-webgl';
      this.box.append(el('p', { class: 'mixer-fallback' }, 'This browser has no WebGL: the videos below show the same results.'));
      return;
    }
    const bar = el('div', { class: 'mixer-bar' });
    this.playButton = el('button', { class: 'mixer-play', type: 'button', title: 'play / pause' }, '❚❚');
    this.slider = el('input', { class: 'mixer-timeline', type: 'range', min: '0', max: String(d.frames - 1), value: '0', step: '1' });
    this.label = el('span', { class: 'mixer-time' });
    const speed = el('select', { class: 'mixer-speed', title: 'speed' });
    SPEEDS.forEach(s => speed.append(el('option', s === 1 ? { value: s, selected: '' } : { value: s }, `${s}x`)));
    const overlay = el('label', { class: 'mixer-overlay' });
    const check = el('input', { type: 'checkbox' });
    overlay.append(check, document.createTextNode(' overlay'));
    bar.append(this.playButton, this.slider, this.label, speed, overlay);
    this.playButton.onclick = () => (this.playing ? this.pause() : this.play());
    this.slider.oninput = () => { this.pause(); this.setFrame(Number(this.slider.value)); };
    speed.onchange = () => { this.speed = Number(speed.value); };
    check.onchange = () => { this.overlay = check.checked; this.layout(); this.setFrame(this.frame, false); };

    this.canvas = r.domElement;
    this.canvas.classList.add('mixer-canvas');
    const stageBox = el('div', { class: 'mixer-stage' });
    this.labels = el('div', { class: 'mixer-labels' });
    stageBox.append(this.canvas, this.labels);
    this.grid = el('div', { class: 'mixer-grid' });
    this.box.append(bar, stageBox, this.grid);
    this.camera = new THREE.PerspectiveCamera(40, 1, 0.05, 100);
    this.scenes = d.results.map(res => {
      const scene = stage(d), bodies = new Bodies(d, res, null);
      scene.add(bodies.group);
      return { scene, bodies };
    });
    this.overlayScene = stage(d);
    this.overlayBodies = d.results.map((res, k) => new Bodies(d, res, OVERLAY_TINTS[k % OVERLAY_TINTS.length]));
    this.overlayBodies.forEach(b => this.overlayScene.add(b.group));
    this.cursors = d.results.map((res, k) => {
      const cell = el('div', { class: 'mixer-cell' });
      cell.append(this.titleTag(res.title, k));
      this.grid.append(cell);
      return heatmap(cell, d, res);
    });
    this.grid.style.gridTemplateColumns = `repeat(${Math.min(n, COLUMNS)}, 1fr)`;
    this.frameCamera();
    this.bindOrbit();
    this.layout();
    this.setFrame(0);
    this.box.dataset.state = 'ready';
    this.last = performance.now();
    const tick = now => {
      if (current !== this) return;
      if (this.playing) {
        this.time = (this.time + ((now - this.last) / 1000) * this.speed) % (d.frames / d.fps);
        const f = Math.min(d.frames - 1, Math.floor(this.time * d.fps));
        if (f !== this.frame) this.setFrame(f, false);
      }
      this.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  titleTag(title, k) {
    const tag = el('div', { class: 'mixer-title' }, title);
    tag.style.borderColor = '#' + new THREE.Color(OVERLAY_TINTS[k % OVERLAY_TINTS.length]).getHexString();
    return tag;
  }

  frameCamera() {
    // One target and distance for every panel: the middle of all pelvis paths, far enough to see them all.
    const d = this.data, J = d.joints;
    let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (const res of d.results) {
      for (let f = 0; f < d.frames; f++) {
        for (let p = 0; p < d.people; p++) {
          const k = ((f * d.people + p) * J) * 3;
          const x = res.joints[k] / 1000, z = res.joints[k + 2] / 1000;
          lo = [Math.min(lo[0], x), Math.min(lo[1], z)];
          hi = [Math.max(hi[0], x), Math.max(hi[1], z)];
        }
      }
    }
    this.target = new THREE.Vector3((lo[0] + hi[0]) / 2, 0.9, (lo[1] + hi[1]) / 2);
    this.distance = Math.max(3.2, 1.6 * Math.hypot(hi[0] - lo[0], hi[1] - lo[1]) + 2.4);
  }

  bindOrbit() {
    let drag = null;
    this.canvas.onpointerdown = e => { drag = [e.clientX, e.clientY]; this.canvas.setPointerCapture(e.pointerId); };
    this.canvas.onpointerup = () => { drag = null; };
    this.canvas.onpointermove = e => {
      if (!drag) return;
      this.azimuth -= (e.clientX - drag[0]) * 0.008;
      this.elevation = Math.max(0.02, Math.min(1.45, this.elevation + (e.clientY - drag[1]) * 0.006));
      drag = [e.clientX, e.clientY];
      this.draw();
    };
    this.canvas.onwheel = e => {
      e.preventDefault();
      this.distance = Math.max(1.2, Math.min(30, this.distance * Math.exp(e.deltaY * 0.001)));
      this.draw();
    };
  }

  layout() {
    const n = this.data.results.length, width = Math.max(320, this.box.clientWidth || 900);
    this.columns = this.overlay ? 1 : Math.min(n, COLUMNS);
    this.rows = this.overlay ? 1 : Math.ceil(n / COLUMNS);
    const height = (this.overlay ? 1.4 : 1) * PANEL_HEIGHT * this.rows;
    renderer.setSize(width, height);
    this.size = [width, height];
    // the panels' titles over the canvas (overlaid: all titles in one row, each in its bodies' tint)
    this.labels.innerHTML = '';
    this.labels.style.gridTemplateColumns = `repeat(${this.columns}, 1fr)`;
    this.labels.style.gridTemplateRows = `repeat(${this.rows}, 1fr)`;
    if (this.overlay) {
      const row = el('div', { class: 'mixer-label-row' });
      this.data.results.forEach((res, k) => row.append(this.titleTag(res.title, k)));
      this.labels.append(row);
    } else {
      this.data.results.forEach((res, k) => this.labels.append(this.titleTag(res.title, k)));
    }
  }

  setFrame(f, fromUser = true) {
    this.frame = f;
    if (fromUser) this.time = f / this.data.fps;
    this.slider.value = String(f);
    this.label.textContent = `${(f / this.data.fps).toFixed(2)} s · frame ${f + 1}/${this.data.frames}`;
    if (this.overlay) this.overlayBodies.forEach(b => b.setFrame(f));
    else this.scenes.forEach(s => s.bodies.setFrame(f));
    const left = `${((f + 0.5) / this.data.frames) * 100}%`;
    this.cursors.forEach(c => { c.style.left = left; c.dataset.frame = String(f); });
    this.draw();
  }

  play() { this.playing = true; this.playButton.textContent = '❚❚'; }

  pause() { this.playing = false; this.playButton.textContent = '▶'; }

  draw() {
    if (!this.camera || current !== this) return;
    const [w, h] = this.size, c = this.camera;
    c.position.set(this.target.x + this.distance * Math.cos(this.elevation) * Math.sin(this.azimuth),
                   this.target.y + this.distance * Math.sin(this.elevation),
                   this.target.z + this.distance * Math.cos(this.elevation) * Math.cos(this.azimuth));
    c.lookAt(this.target);
    const panels = this.overlay ? [this.overlayScene] : this.scenes.map(s => s.scene);
    const pw = w / this.columns, ph = h / this.rows;
    panels.forEach((scene, k) => {
      const col = k % this.columns, row = Math.floor(k / this.columns);
      const x = col * pw, y = h - (row + 1) * ph; // WebGL's origin is the bottom left
      renderer.setViewport(x, y, pw, ph);
      renderer.setScissor(x, y, pw, ph);
      c.aspect = pw / ph;
      c.updateProjectionMatrix();
      renderer.render(scene, c);
    });
  }
}

export async function show(box, url) {
  const response = await fetch(url);
  if (!response.ok) {
    box.dataset.state = 'error';
    box.textContent = `the 3D view could not load its data (${response.status})`;
    return;
  }
  current = new View(box, await response.json());
  current.build();
  window.mixerView = current; // for the browser tests and the curious
}
