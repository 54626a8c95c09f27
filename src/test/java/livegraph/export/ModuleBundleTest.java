package livegraph.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleBundleTest {

  private static ModuleBundle of(Map<String, String> files) {
    return new ModuleBundle(files::get);
  }

  @Test
  void dependenciesComeFirstAndImportsBecomeDestructuring() {
    String js = of(Map.of(
            "app.js", "import { b, c as see } from './lib/b.js';\nconsole.log(b(), see);\n",
            "lib/b.js", "import { a } from '../a.js';\nexport function b() { return a; }\nexport const c = 3;\n",
            "a.js", "export const a = 1;\n"))
        .bundle("app.js");

    int a = js.indexOf("const __lg_a_js = (() => {");
    int b = js.indexOf("const __lg_lib_b_js = (() => {");
    int app = js.indexOf("const __lg_app_js = (() => {");
    assertThat(a).isNotNegative().isLessThan(b);
    assertThat(b).isLessThan(app);
    assertThat(js).contains("const { b, c: see } = __lg_lib_b_js;")
        .contains("const { a } = __lg_a_js;")
        .contains(" function b() { return a; }")
        .contains("return { b, c };")
        .doesNotContain("export ")
        .doesNotContain("import ");
  }

  @Test
  void aModuleImportedTwiceIsEvaluatedOnce() {
    String js = of(Map.of(
            "app.js", "import { x } from './x.js';\nimport { y } from './y.js';\n",
            "y.js", "import { x } from './x.js';\nexport const y = x;\n",
            "x.js", "export const x = 1;\n"))
        .bundle("app.js");
    assertThat(js.split("const __lg_x_js = ", -1)).hasSize(2);
  }

  @Test
  void refusesWhatItCannotJoinNamingTheModule() {
    assertThatThrownBy(() -> of(Map.of("app.js", "export default 3;\n")).bundle("app.js"))
        .hasMessageContaining("app.js").hasMessageContaining("export");
    assertThatThrownBy(() -> of(Map.of("app.js", "import * as x from './x.js';\n")).bundle("app.js"))
        .hasMessageContaining("app.js");
    assertThatThrownBy(() -> of(Map.of("app.js", "import { x } from 'lodash';\n")).bundle("app.js"))
        .hasMessageContaining("'lodash'");
    assertThatThrownBy(() -> of(Map.of("app.js", "import { x } from './gone.js';\n")).bundle("app.js"))
        .hasMessageContaining("no module gone.js");
    assertThatThrownBy(() -> of(Map.of(
            "a.js", "import { b } from './b.js';\nexport const a = 1;\n",
            "b.js", "import { a } from './a.js';\nexport const b = 2;\n")).bundle("a.js"))
        .hasMessageContaining("cycle");
    assertThatThrownBy(() -> of(Map.of("app.js", "import { x } from '../../x.js';\n")).bundle("app.js"))
        .hasMessageContaining("escapes");
  }

  @Test
  void joinsTheRealPage() {
    String js = ModuleBundle.classpath("web").bundle("app.js");
    assertThat(js).contains("const __lg_page_js = (() => {").contains("new DashboardPage(");
  }

  @Test
  void inlineTextCannotCloseItsElement() {
    assertThat(SelfContainedPage.scriptInHtml("s = '</SCRIPT><!-- x';"))
        .isEqualTo("s = '<\\/SCRIPT><\\!-- x';");
    assertThat(SelfContainedPage.jsonInHtml("{\"t\":\"</script>\"}"))
        .isEqualTo("{\"t\":\"\\u003c/script>\"}");
  }
}
