package livegraph.engine;

import org.teavm.jso.JSExportClasses;

/** TeaVM's entry point for {@code web/export/engine.js}: exports {@link LivegraphEngine}, nothing else. */
@JSExportClasses(LivegraphEngine.class)
public final class EngineModule {

  private EngineModule() {}
}
