import java.io.File;
import java.net.URL;
import java.util.concurrent.atomic.AtomicInteger;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.graphml.GraphMLImporter;

/**
 * Checks GraphML files for aptgraph's tests: each must validate against the
 * GraphML XML schema (graphml.xsd, as shipped in the JGraphT jar) and import
 * into JGraphT with every typed attribute. Prints "FILE: ok NODES nodes
 * EDGES edges ATTRS attributes" per file; exits 1 on any failure.
 *
 * Usage: java -cp ... GraphMLCheck FILE...
 */
public final class GraphMLCheck {
    public static void main(String[] args) throws Exception {
        URL xsd = GraphMLImporter.class.getClassLoader().getResource("graphml.xsd");
        if (xsd == null) {
            System.err.println("graphml.xsd not found in the JGraphT jar");
            System.exit(2);
        }
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Schema schema = sf.newSchema(xsd);
        boolean failed = false;
        for (String name : args) {
            try {
                Validator v = schema.newValidator();
                v.validate(new StreamSource(new File(name)));
                AtomicInteger ids = new AtomicInteger();
                Graph<String, Object> g = new DirectedPseudograph<>(() -> "v" + ids.incrementAndGet(), Object::new, false);
                GraphMLImporter<String, Object> imp = new GraphMLImporter<>();
                imp.setSchemaValidation(false); // done above, against the shipped schema
                imp.setVertexFactory(id -> id);
                AtomicInteger attrs = new AtomicInteger();
                imp.addVertexAttributeConsumer((p, a) -> attrs.incrementAndGet());
                imp.addEdgeAttributeConsumer((p, a) -> attrs.incrementAndGet());
                imp.importGraph(g, new File(name));
                System.out.println(name + ": ok " + g.vertexSet().size() + " nodes " + g.edgeSet().size() + " edges " + attrs.get() + " attributes");
            } catch (Exception e) {
                failed = true;
                System.out.println(name + ": " + e);
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
