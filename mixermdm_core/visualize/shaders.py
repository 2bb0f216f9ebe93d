"""GLSL 3.30 sources of the OpenGL renderer's programs.

- body: Lambert plus a sky/ground ambient, darkened near the floor. Bone cylinders are an instanced unit mesh
  placed in the vertex shader; spheres are impostors: one camera-facing quad each, on which the fragment
  shader intersects the view ray with the sphere for its normal and depth (exact and round at any size, two
  triangles where a mesh sphere costs eighty: llvmpipe pays per triangle).
- shadow: a soft capsule blob per bone (and a disc per joint) dropped along the light onto a top-down floor
  texture; blending with MAX keeps overlapping blobs from darkening twice.
- floor: grid and fog, drawn once per clip into a background image.
- shadow overlay: the shadow texture darkens the background, per frame and only over the floor area the
  shadows fall on, with blend (ZERO, SRC_ALPHA): colour = dst.rgb * (1 - shadow / 2).
- ring: the highlight ring, on a quad just around it, with blend (ONE, ONE_MINUS_SRC_ALPHA).
"""
from .scene import SHADOW_FADE

SHADE = """
vec3 shade(vec3 n, vec3 color, float height, vec3 light) {
    float lambert = max(dot(n, light), 0.0);
    vec3 ambient = mix(vec3(0.42, 0.40, 0.38), vec3(0.62, 0.64, 0.68), 0.5 + 0.5 * n.y);
    float occlusion = mix(0.7, 1.0, clamp(height / 0.3, 0.0, 1.0));
    return color * (ambient + 0.62 * lambert) * occlusion;
}
"""

BODY_FS = """
#version 330
uniform vec3 u_light;
in vec3 v_normal;
in vec3 v_color;
in float v_height;
out vec4 f_color;
""" + SHADE + """
void main() {
    f_color = vec4(shade(normalize(v_normal), v_color, v_height, u_light), 1.0);
}
"""

SPHERE_VS = """
#version 330
uniform mat4 u_vp;
uniform vec3 u_eye;
in vec2 in_corner;
in vec3 i_center;
in float i_radius;
in vec3 i_color;
out vec3 v_world;
flat out vec3 v_center;
flat out float v_radius;
flat out vec3 v_color;
void main() {
    vec3 to_eye = u_eye - i_center;
    float dist = length(to_eye);
    vec3 back = to_eye / dist;
    vec3 right = normalize(cross(abs(back.y) < 0.99 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0), back));
    vec3 up = cross(back, right);
    // the cone from the eye that touches the sphere cuts the quad's plane at this half width
    float half_width = i_radius * dist / sqrt(max(dist * dist - i_radius * i_radius, 1e-8)) * 1.02;
    v_world = i_center + (right * in_corner.x + up * in_corner.y) * half_width;
    v_center = i_center;
    v_radius = i_radius;
    v_color = i_color;
    gl_Position = u_vp * vec4(v_world, 1.0);
}
"""

SPHERE_FS = """
#version 330
uniform mat4 u_vp;
uniform vec3 u_eye;
uniform vec3 u_light;
in vec3 v_world;
flat in vec3 v_center;
flat in float v_radius;
flat in vec3 v_color;
out vec4 f_color;
""" + SHADE + """
void main() {
    vec3 ray = normalize(v_world - u_eye);
    vec3 from_center = u_eye - v_center;
    float b = dot(from_center, ray);
    float h = b * b - dot(from_center, from_center) + v_radius * v_radius;
    if (h < 0.0) discard;
    vec3 hit = u_eye + (-b - sqrt(h)) * ray;
    vec4 clip = u_vp * vec4(hit, 1.0);
    gl_FragDepth = 0.5 * clip.z / clip.w + 0.5;
    f_color = vec4(shade((hit - v_center) / v_radius, v_color, hit.y, u_light), 1.0);
}
"""

BONE_VS = """
#version 330
uniform mat4 u_vp;
in vec3 in_pos;
in vec3 i_a;
in vec3 i_b;
in float i_radius;
in vec3 i_color;
out vec3 v_normal;
out vec3 v_color;
out float v_height;
void main() {
    vec3 axis = i_b - i_a;
    float len = length(axis);
    vec3 y = len > 1e-6 ? axis / len : vec3(0.0, 1.0, 0.0);
    vec3 x = normalize(cross(abs(y.y) < 0.99 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0), y));
    vec3 z = cross(x, y);
    vec3 world = i_a + (x * in_pos.x + z * in_pos.z) * i_radius + y * in_pos.y * len;
    v_normal = x * in_pos.x + z * in_pos.z;
    v_color = i_color;
    v_height = world.y;
    gl_Position = u_vp * vec4(world, 1.0);
}
"""

SHADOW_VS = """
#version 330
""" + "#define FADE vec3(%r, %r, %r)  // scene.SHADOW_FADE: fade-out radius = x * radius + y + z * height\n" % SHADOW_FADE + """\
uniform vec3 u_light;
uniform vec4 u_rect;  // x_min, z_min, 1/width, 1/depth of the floor area the shadow texture covers
in vec2 in_corner;
in vec3 i_a;
in vec3 i_b;
in float i_radius;
out vec2 v_p;
flat out vec2 v_a;
flat out vec2 v_b;
flat out vec2 v_size;  // full-strength radius, fade-out radius
flat out float v_strength;
vec2 drop(vec3 p) { return p.xz - u_light.xz * (max(p.y, 0.0) / u_light.y); }
void main() {
    v_a = drop(i_a);
    v_b = drop(i_b);
    float height = 0.5 * (max(i_a.y, 0.0) + max(i_b.y, 0.0));
    v_size = vec2(i_radius * 0.6, i_radius * FADE.x + FADE.y + FADE.z * height);
    v_strength = clamp(1.0 - height / 2.5, 0.35, 1.0);
    vec2 d = v_b - v_a;
    float half_len = 0.5 * length(d);
    vec2 u = half_len > 1e-6 ? d / (2.0 * half_len) : vec2(1.0, 0.0);
    vec2 v = vec2(-u.y, u.x);
    v_p = 0.5 * (v_a + v_b) + u * in_corner.x * (half_len + v_size.y) + v * in_corner.y * v_size.y;
    gl_Position = vec4((v_p - u_rect.xy) * u_rect.zw * 2.0 - 1.0, 0.0, 1.0);
}
"""

SHADOW_FS = """
#version 330
in vec2 v_p;
flat in vec2 v_a;
flat in vec2 v_b;
flat in vec2 v_size;
flat in float v_strength;
out float f_shadow;
void main() {
    vec2 ab = v_b - v_a;
    float t = clamp(dot(v_p - v_a, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
    float d = length(v_p - v_a - t * ab);
    f_shadow = (1.0 - smoothstep(v_size.x, v_size.y, d)) * v_strength;
}
"""

FLOOR_VS = """
#version 330
uniform mat4 u_vp;
in vec2 in_xz;
out vec2 v_xz;
void main() {
    v_xz = in_xz;
    gl_Position = u_vp * vec4(in_xz.x, 0.0, in_xz.y, 1.0);
}
"""

FLOOR_FS = """
#version 330
uniform vec2 u_center;
uniform vec2 u_fog;  // fade start and end distance from u_center
uniform vec3 u_floor;
uniform vec3 u_grid;
uniform vec3 u_bg;
uniform float u_spacing;
uniform float u_line;
in vec2 v_xz;
out vec4 f_color;
void main() {
    vec2 aa = fwidth(v_xz);
    vec2 dist = abs(fract(v_xz / u_spacing - 0.5) - 0.5) * u_spacing;
    vec2 line = 1.0 - smoothstep(vec2(0.5 * u_line) - aa, vec2(0.5 * u_line) + aa, dist);
    float grid = max(line.x, line.y) * clamp(1.5 - 20.0 * max(aa.x, aa.y), 0.0, 1.0);
    float fog = smoothstep(u_fog.x, u_fog.y, length(v_xz - u_center));
    f_color = vec4(mix(mix(u_floor, u_grid, grid), u_bg, fog), 1.0);
}
"""

SHADOW_OVERLAY_FS = """
#version 330
uniform sampler2D u_shadow;
uniform vec4 u_rect;
in vec2 v_xz;
out vec4 f_color;
void main() {
    f_color = vec4(0.0, 0.0, 0.0, 1.0 - 0.5 * texture(u_shadow, (v_xz - u_rect.xy) * u_rect.zw).r);
}
"""

RING_FS = """
#version 330
uniform vec3 u_ring;  // x, z, radius
uniform vec3 u_highlight;
uniform float u_ring_width;
in vec2 v_xz;
out vec4 f_color;
void main() {
    float aa = length(fwidth(v_xz));
    float r = length(v_xz - u_ring.xy);
    float band = 1.0 - smoothstep(0.5 * u_ring_width - aa, 0.5 * u_ring_width + aa, abs(r - u_ring.z));
    float fill = 0.22 * (1.0 - smoothstep(u_ring.z - aa, u_ring.z + aa, r));
    float ring = max(band, fill);
    f_color = vec4(u_highlight * ring, ring);
}
"""
