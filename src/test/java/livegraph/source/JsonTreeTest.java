package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain values a JSON text becomes, which the decoder's field paths walk. */
class JsonTreeTest {

  private static final JsonFactory JSON = new JsonFactory();

  private static Object parse(String text) throws JsonProcessingException {
    return JsonTree.parse(JSON, text);
  }

  @Test
  void objects_areOrderedMaps_aRepeatedNameKeepsItsLastValue() throws Exception {
    Object tree = parse("{\"b\":1,\"a\":{\"c\":[]},\"b\":2}");

    assertThat(tree).isInstanceOf(LinkedHashMap.class);
    assertThat(List.copyOf(((Map<?, ?>) tree).keySet())).isEqualTo(List.of("b", "a"));
    assertThat(tree).isEqualTo(Map.of("b", 2L, "a", Map.of("c", List.of())));
  }

  @Test
  void numbers_integersAreLong_orBigIntegerBeyond_fractionsAndExponentsDouble() throws Exception {
    Object tree = parse("[3,-0,9223372036854775807,9223372036854775808,2.5,1e3,1.0,1e400]");

    assertThat(tree).isEqualTo(List.of(3L, 0L, Long.MAX_VALUE,
        new BigInteger("9223372036854775808"), 2.5, 1000.0, 1.0, Double.POSITIVE_INFINITY));
  }

  @Test
  void scalars_andNull_keepTheirPlaceInArrays() throws Exception {
    Object tree = parse("[\"x\",true,false,null,{}]");

    assertThat(tree).isInstanceOf(ArrayList.class);
    assertThat((List<?>) tree).isEqualTo(Arrays.asList("x", true, false, null, Map.of()));
    assertThat(parse("null")).isNull();
  }

  @Test
  void noValueAtAll_isNothing() throws Exception {
    assertThat(parse("")).isSameAs(JsonTree.NOTHING);
    assertThat(parse(" \n\t")).isSameAs(JsonTree.NOTHING);
  }

  @Test
  void notOneJsonValue_throws() {
    for (String text : List.of("{\"a\":1", "{} x", "{}{}", "[1,]", "{'a':1}", "hb", "[")) {
      assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(JsonProcessingException.class);
    }
  }

  @Test
  void theFactorysConstraints_bound_theNesting() throws Exception {
    JsonFactory shallow = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).build())
        .build();

    assertThat(JsonTree.parse(shallow, "[[[1]]]")).isEqualTo(List.of(List.of(List.of(1L))));
    assertThatThrownBy(() -> JsonTree.parse(shallow, "[[[[1]]]]"))
        .isInstanceOf(StreamConstraintsException.class);
  }
}
