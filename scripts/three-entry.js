// The parts of three.js the synchronised view uses; scripts/build_three.sh bundles them into demo/static/three.min.js.
export { WebGLRenderer, Scene, PerspectiveCamera, Color, Mesh, InstancedMesh, MeshLambertMaterial, MeshBasicMaterial,
  SphereGeometry, CylinderGeometry, PlaneGeometry, RingGeometry, GridHelper, HemisphereLight, DirectionalLight,
  Vector3, Quaternion, Matrix4, Group, Line, LineBasicMaterial, BufferGeometry, Float32BufferAttribute,
  DoubleSide } from 'three';
